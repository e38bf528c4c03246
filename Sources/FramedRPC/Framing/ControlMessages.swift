import Foundation
import NIOCore
import SwiftProtobuf

// Conversions between the public call types and the control messages of wire.proto.

extension Metadata {
    init(wire entries: [Framedrpc_V1_MetadataEntry]) {
        self.init()
        for entry in entries {
            switch entry.value {
            case .binary(let data): add(entry.key, binary: Array(data))
            case .text(let text): add(entry.key, text: text)
            case .none: add(entry.key, text: "")
            }
        }
    }

    var wire: [Framedrpc_V1_MetadataEntry] {
        entries.map { entry in
            var wire = Framedrpc_V1_MetadataEntry()
            wire.key = entry.key
            switch entry.value {
            case .text(let text): wire.text = text
            case .binary(let bytes): wire.binary = Data(bytes)
            }
            return wire
        }
    }
}

extension CallStatus {
    init(wire: Framedrpc_V1_CallStatus) {
        self.init(
            code: StatusCode(wireValue: wire.code),
            message: wire.message,
            details: wire.details.map { RPCError.Detail(typeURL: $0.typeURL, value: Array($0.value)) },
            trailingMetadata: Metadata(wire: wire.trailingMetadata)
        )
    }

    var wire: Framedrpc_V1_CallStatus {
        var wire = Framedrpc_V1_CallStatus()
        wire.code = code.rawValue
        wire.message = message
        wire.details = details.map { detail in
            var wire = Framedrpc_V1_StatusDetail()
            wire.typeURL = detail.typeURL
            wire.value = Data(detail.value)
            return wire
        }
        wire.trailingMetadata = trailingMetadata.wire
        return wire
    }
}

extension SwiftProtobuf.Message {
    /// Decodes a control message from a frame payload.
    init(payload: ByteBuffer) throws {
        try self.init(serializedBytes: Array(payload.readableBytesView))
    }

    /// The serialized control message. Control messages hold only strings, bytes and
    /// integers, so serialization cannot fail.
    var payloadBytes: [UInt8] {
        (try? serializedBytes()) ?? []
    }
}
