import NIOCore
import NIOTestUtils
import Testing

@testable import FramedRPC

@Suite("Frame decoder")
struct FrameDecoderTests {
    private static func bytes(_ build: (inout ByteBuffer) -> Void) -> ByteBuffer {
        var buffer = ByteBuffer()
        build(&buffer)
        return buffer
    }

    @Test("decodes every frame type, byte by byte and in bulk")
    func decodesEverything() throws {
        var input = ByteBuffer()
        var expected: [InboundFrameEvent] = []
        for (index, type) in FrameType.allCases.enumerated() {
            let size = type.requiredPayloadSize ?? index * 7
            let payload = ByteBuffer(bytes: (0..<size).map { UInt8(truncatingIfNeeded: $0) })
            let streamID: UInt32 = type.isConnectionFrame ? 0 : UInt32(index * 2 + 1)
            input.writeFrame(type: type, streamID: streamID, payload: payload)
            expected.append(.frame(Frame(type: type, streamID: streamID, payload: payload)))
        }
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(input, expected)],
            decoderFactory: { FrameDecoder(maxFrameSize: 1 << 20, expectingPreface: false) }
        )
    }

    @Test("matches the worked example of docs/PROTOCOL.md §9")
    func workedExample() throws {
        let hex = """
            00 00 00 2a 01 00 00 00 00 01 0a 28 2f 66 72 61 6d 65 64 72
            70 63 2e 74 65 73 74 69 6e 67 2e 54 65 73 74 53 65 72 76 69
            63 65 2f 45 6d 70 74 79 43 61 6c 6c
            00 00 00 00 02 00 00 00 00 01 00 00 00 00 03 00 00 00 00 01
            """
        let example = hex.split(whereSeparator: \.isWhitespace).map { UInt8($0, radix: 16)! }
        var headers = Framedrpc_V1_CallHeaders()
        headers.method = "/framedrpc.testing.TestService/EmptyCall"
        var encoded = ByteBuffer()
        encoded.writeFrame(type: .headers, streamID: 1, payload: try headers.serializedBytes() as [UInt8])
        encoded.writeEmptyFrame(type: .message, streamID: 1)
        encoded.writeEmptyFrame(type: .halfClose, streamID: 1)
        #expect(Array(encoded.readableBytesView) == example)
    }

    @Test("rejects an oversize frame from its header, before the payload arrives")
    func oversizeFromHeader() throws {
        var decoder = FrameDecoder(maxFrameSize: 1024)
        var buffer = Self.bytes {
            $0.writeBytes(Preface.current.bytes)
            $0.writeFrameHeader(type: .message, streamID: 1, length: 1025)
        }
        #expect(try decoder.decode(buffer: &buffer) == .preface(.current))
        #expect(throws: FramingError.frameTooLarge(length: 1025, limit: 1024)) {
            try decoder.decode(buffer: &buffer)
        }
    }

    @Test("rejects foreign bytes as soon as they differ from the magic")
    func badMagic() {
        var decoder = FrameDecoder(maxFrameSize: 1024)
        var buffer = ByteBuffer(string: "GE")
        #expect(throws: FramingError.badMagic) { try decoder.decode(buffer: &buffer) }
    }

    @Test("rejects another major version and an unknown frame type")
    func versionAndType() throws {
        var decoder = FrameDecoder(maxFrameSize: 1024)
        var buffer = ByteBuffer(bytes: Preface(major: 2, minor: 0).bytes)
        #expect(throws: FramingError.unsupportedVersion(major: 2, minor: 0)) { try decoder.decode(buffer: &buffer) }

        decoder = FrameDecoder(maxFrameSize: 1024)
        buffer = ByteBuffer(bytes: Preface.current.bytes + [0, 0, 0, 0, 0x42, 0, 0, 0, 0, 1])
        _ = try decoder.decode(buffer: &buffer)
        #expect(throws: FramingError.unknownFrameType(0x42)) { try decoder.decode(buffer: &buffer) }
    }

    @Test("waits for the rest of a truncated frame")
    func truncated() throws {
        var decoder = FrameDecoder(maxFrameSize: 1024)
        var buffer = Self.bytes {
            $0.writeBytes(Preface.current.bytes)
            $0.writeFrameHeader(type: .message, streamID: 1, length: 10)
            $0.writeBytes([1, 2, 3])
        }
        _ = try decoder.decode(buffer: &buffer)
        #expect(try decoder.decode(buffer: &buffer) == nil)
        buffer.writeBytes([4, 5, 6, 7, 8, 9, 10])
        guard case .frame(let frame)? = try decoder.decode(buffer: &buffer) else {
            Issue.record("expected a frame")
            return
        }
        #expect(Array(frame.payload.readableBytesView) == Array(1...10))
    }
}
