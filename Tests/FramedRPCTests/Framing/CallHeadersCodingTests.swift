@testable import FramedRPC
import NIOCore
import SwiftProtobuf
import Testing

@Suite("CallHeaders fast coding")
struct CallHeadersCodingTests {
    static let paths = ["/a.B/C", "/framedrpc.bench.Echo/Get", "/" + String(repeating: "s", count: 200) + "/M", "/ü.S/M"]
    static let timeouts: [UInt64] = [0, 1, 127, 128, 300_000_000, UInt64.max]

    @Test("writes the bytes SwiftProtobuf writes", arguments: paths, timeouts)
    func matchesSwiftProtobuf(path: String, timeout: UInt64) throws {
        var headers = Framedrpc_V1_CallHeaders()
        headers.method = path
        headers.timeoutMicros = timeout
        var buffer = ByteBuffer()
        CallHeadersCoding.write(path: path, timeoutMicros: timeout, to: &buffer)
        #expect(Array(buffer.readableBytesView) == headers.payloadBytes)
        #expect(buffer.readableBytes == CallHeadersCoding.length(path: path, timeoutMicros: timeout))
    }

    @Test("reads back what it writes", arguments: paths, timeouts)
    func roundTrips(path: String, timeout: UInt64) throws {
        var buffer = ByteBuffer()
        CallHeadersCoding.write(path: path, timeoutMicros: timeout, to: &buffer)
        let common = try #require(CallHeadersCoding.parseCommon(buffer))
        #expect(String(buffer: common.path) == path)
        #expect(common.timeoutMicros == timeout)
    }

    @Test("leaves metadata, repeated or unknown fields and broken bytes to SwiftProtobuf")
    func declinesTheRest() throws {
        var withMetadata = Framedrpc_V1_CallHeaders()
        withMetadata.method = "/a.B/C"
        withMetadata.metadata = [.with { $0.key = "k"; $0.text = "v" }]
        let declined: [[UInt8]] = [
            withMetadata.payloadBytes,
            [],                                      // no method
            [0x18, 0x05],                            // timeout only
            [0x0A, 0x01, 0x41, 0x0A, 0x01, 0x42],    // method twice
            [0x0A, 0x05, 0x41],                      // length beyond the payload
            [0x0A, 0x01, 0x41, 0x20, 0x01],          // unknown field 4
            [0x0A, 0x01, 0x41, 0x18],                // truncated varint
            [0x0A, 0x01, 0x41, 0x18] + [UInt8](repeating: 0xFF, count: 10) + [0x01],  // varint too long
        ]
        for bytes in declined {
            #expect(CallHeadersCoding.parseCommon(ByteBuffer(bytes: bytes)) == nil, "\(bytes)")
        }
    }
}
