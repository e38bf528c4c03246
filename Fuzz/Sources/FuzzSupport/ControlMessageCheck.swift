import NIOCore
import SwiftProtobuf

@testable import FramedRPC

/// Puts one frame through everything a connection does with its payload, and checks what the
/// decoded control messages become.
enum ControlMessageCheck {
    static func run(_ frame: Frame) {
        _ = try? frame.checkShape()
        switch frame.type {
        case .windowUpdate:
            if let increment = try? frame.windowIncrement() {
                fuzzCheck(
                    (1...FlowControl.maxWindow).contains(increment),
                    "windowIncrement() accepted \(increment), outside 1...2^31-1")
            }
        case .headers:
            if let headers = try? Framedrpc_V1_CallHeaders(payload: frame.payload) {
                let valid = ServerConnectionHandler.isValidPath(headers.method)
                fuzzCheck(
                    valid == isWellFormedPath(headers.method),
                    "isValidPath(\(headers.method.debugDescription)) is \(valid)")
                checkMetadata(headers.metadata)
            }
            if let headers = try? Framedrpc_V1_ResponseHeaders(payload: frame.payload) {
                checkMetadata(headers.metadata)
            }
        case .status:
            if let wire = try? Framedrpc_V1_CallStatus(payload: frame.payload) {
                let status = CallStatus(wire: wire)
                let reencoded = try? Framedrpc_V1_CallStatus(serializedBytes: status.wire.payloadBytes)
                fuzzCheck(reencoded != nil, "a decoded CallStatus does not re-encode")
                if let reencoded {
                    fuzzCheck(CallStatus(wire: reencoded) == status, "CallStatus changes through a round trip: \(status)")
                }
                _ = status.error
                checkMetadata(wire.trailingMetadata)
            }
        case .goAway:
            _ = try? Framedrpc_V1_GoAway(payload: frame.payload)
        case .message, .halfClose, .cancel, .ping, .pong:
            break
        }
    }

    /// What docs/PROTOCOL.md says a method path is: `/service/method`, both parts non-empty,
    /// no further slash. Written plainly, to check the hand-optimised `isValidPath`.
    static func isWellFormedPath(_ path: String) -> Bool {
        let parts = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0].isEmpty && !parts[1].isEmpty && !parts[2].isEmpty
    }

    /// Converts wire metadata as a connection does, validates it, and checks it survives a round trip.
    static func checkMetadata(_ entries: [Framedrpc_V1_MetadataEntry]) {
        let metadata = Metadata(wire: entries)
        fuzzCheck(metadata.count == entries.count, "Metadata(wire:) kept \(metadata.count) of \(entries.count) entries")
        let valid = (try? metadata.validate()) != nil
        if valid {
            fuzzCheck(metadata.allSatisfy { Metadata.isValidKey($0.key) }, "validate() passed an invalid key")
        }
        fuzzCheck(Metadata(wire: metadata.wire) == metadata, "metadata changes through a round trip")
    }
}
