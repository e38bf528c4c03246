import FramedRPCInterop
import NIOCore
import SwiftProtobuf
import Testing

@testable import FramedRPC

/// Each case breaks the protocol on one connection, checks the answer (a clear status or a
/// closed connection), then checks the server still serves a fresh connection.
@Suite("Bad input")
struct BadInputTests {
    static let emptyCall = "/framedrpc.testing.TestService/EmptyCall"

    /// Runs `body` with a raw TLS connection to a fresh server, then checks the server still serves.
    private func withRawConnection(
        configuration: ServerConfiguration = .defaults,
        _ body: (RawConnection) async throws -> Void
    ) async throws {
        try await withServer(services: [TestServiceImplementation(), ProbeService()], configuration: configuration) { server, client in
            // A connection opened before the bad one must carry on untouched.
            let bystander = Framedrpc_Testing_TestService.Client(wrapping: client)
            _ = try await bystander.emptyCall(Framedrpc_Testing_Empty())
            let connectionBefore = try await client.connectionExecutor() as AnyObject?
            let raw = try await RawConnection.connect(port: server.port!, tls: TestCertificates.client())
            try await body(raw)
            await raw.close()
            _ = try await bystander.emptyCall(Framedrpc_Testing_Empty())
            // The same connection, not a silent reconnect.
            #expect(try await client.connectionExecutor() as AnyObject? === connectionBefore)
            try await expectServerStillServes(server)
        }
    }

    private func goAway(in events: [RawConnection.Event]) -> Framedrpc_V1_GoAway? {
        events.lazy.compactMap(\.goAway).first
    }

    @Test("an oversize length header gets GOAWAY FRAME_TOO_LARGE without the payload being sent")
    func oversizeLength() async throws {
        try await withRawConnection { raw in
            try await raw.sendPreface()
            var header = ByteBuffer()
            header.writeFrameHeader(type: .message, streamID: 1, length: (4 << 20) + 1)
            try await raw.send(Array(header.readableBytesView))
            let events = await raw.collect()
            #expect(goAway(in: events)?.code == .frameTooLarge)
            #expect(events.last == .closed)
        }
    }

    @Test("a garbage preface is closed without a reply")
    func garbagePreface() async throws {
        try await withRawConnection { raw in
            try await raw.send(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            #expect(await raw.collect() == [.closed])
        }
    }

    @Test("a wrong-version preface gets the server's preface and GOAWAY UNSUPPORTED_VERSION")
    func wrongVersion() async throws {
        try await withRawConnection { raw in
            try await raw.sendPreface(Preface(major: 9, minor: 0))
            let events = await raw.collect()
            #expect(events.first == .preface(.current))
            #expect(goAway(in: events)?.code == .unsupportedVersion)
            #expect(events.last == .closed)
        }
    }

    @Test("plaintext to the TLS port is closed")
    func plaintextToTLSPort() async throws {
        try await withServer { server, _ in
            let raw = try await RawConnection.connect(port: server.port!, tls: nil)
            // The server may close as soon as the first bytes fail to parse as TLS.
            try? await raw.sendPreface()
            try? await raw.sendCall(stream: 1, method: Self.emptyCall, message: [])
            #expect(await raw.collect() == [.closed])
            await raw.close()
            try await expectServerStillServes(server)
        }
    }

    @Test("a truncated frame followed by a close leaves the server serving")
    func truncatedFrame() async throws {
        try await withRawConnection { raw in
            try await raw.sendPreface()
            var header = ByteBuffer()
            header.writeFrameHeader(type: .headers, streamID: 1, length: 100)
            try await raw.send(Array(header.readableBytesView) + [0x0a, 0x05])
            #expect(await raw.collect(until: { $0 == .preface(.current) }) == [.preface(.current)])
            // Nothing more comes back: the server waits for the rest of the frame.
            #expect(await raw.collect(for: .milliseconds(300)) == [])
        }
    }

    @Test("an unknown frame type gets GOAWAY PROTOCOL_ERROR")
    func unknownFrameType() async throws {
        try await withRawConnection { raw in
            try await raw.sendPreface()
            try await raw.send([0, 0, 0, 0, 0x7F, 0, 0, 0, 0, 1])
            let events = await raw.collect()
            #expect(goAway(in: events)?.code == .protocolError)
            #expect(events.last == .closed)
        }
    }

    @Test("a reused stream id gets GOAWAY PROTOCOL_ERROR naming the reuse")
    func reusedStreamID() async throws {
        try await withRawConnection { raw in
            try await raw.sendPreface()
            try await raw.sendCall(stream: 3, method: Self.emptyCall, message: [])
            let first = await raw.collect(until: { $0.status != nil })
            #expect(first.compactMap(\.status).first?.status.code == StatusCode.ok.rawValue)
            // HEADERS alone: the server closes right after it, so nothing else may follow.
            try await raw.sendCall(stream: 3, method: Self.emptyCall, message: nil)
            let events = await raw.collect()
            let goAway = goAway(in: events)
            #expect(goAway?.code == .protocolError)
            #expect(goAway?.message.contains("reused") == true)
            #expect(goAway?.lastStreamID == 3)
        }
    }

    @Test(
        "frames that break shape rules get GOAWAY PROTOCOL_ERROR",
        arguments: [
            (FrameType.ping, UInt32(0), [UInt8](repeating: 0, count: 3)),
            (FrameType.ping, UInt32(1), [UInt8](repeating: 0, count: 8)),
            (FrameType.halfClose, UInt32(0), []),
            (FrameType.status, UInt32(1), []),
            (FrameType.message, UInt32(9), [1, 2, 3]),
        ])
    func shapeRules(type: FrameType, stream: UInt32, payload: [UInt8]) async throws {
        try await withRawConnection { raw in
            try await raw.sendPreface()
            try await raw.sendFrame(type, stream: stream, payload: payload)
            let events = await raw.collect()
            #expect(goAway(in: events)?.code == .protocolError)
        }
    }

    @Test("more calls than the limit get RESOURCE_EXHAUSTED; the connection carries on")
    func tooManyCalls() async throws {
        try await withRawConnection(configuration: ServerConfiguration.with { $0.connection.maxConcurrentCalls = 2 }) { raw in
            try await raw.sendPreface()
            let fullDuplex = "/framedrpc.testing.TestService/FullDuplexCall"
            for stream: UInt32 in [1, 3, 5] {
                try await raw.sendCall(stream: stream, method: fullDuplex, message: nil)
            }
            var events = await raw.collect(until: { $0.status != nil })
            #expect(events.compactMap(\.status).map(\.stream) == [5])
            #expect(events.compactMap(\.status).first?.status.code == StatusCode.resourceExhausted.rawValue)
            try await raw.sendFrame(.halfClose, stream: 1)
            events = await raw.collect(until: { $0.status != nil })
            #expect(events.compactMap(\.status).first.map { [$0.stream, $0.status.code] } == [1, StatusCode.ok.rawValue])
            try await raw.sendCall(stream: 7, method: Self.emptyCall, message: [])
            events = await raw.collect(until: { $0.status != nil })
            #expect(events.compactMap(\.status).first.map { [$0.stream, $0.status.code] } == [7, StatusCode.ok.rawValue])
        }
    }

    @Test("a malformed request message gets INVALID_ARGUMENT on that call only")
    func malformedMessage() async throws {
        try await withRawConnection { raw in
            try await raw.sendPreface()
            try await raw.sendCall(stream: 1, method: "/framedrpc.testing.TestService/UnaryCall", message: [0xFF, 0xFF, 0xFF])
            var events = await raw.collect(until: { $0.status != nil })
            #expect(events.compactMap(\.status).first?.status.code == StatusCode.invalidArgument.rawValue)
            try await raw.sendCall(stream: 3, method: Self.emptyCall, message: [])
            events = await raw.collect(until: { $0.status != nil })
            #expect(events.compactMap(\.status).first?.status.code == StatusCode.ok.rawValue)
        }
    }

    @Test(
        "malformed call headers get INVALID_ARGUMENT",
        arguments: [
            [UInt8]([0xFF, 0x01]),
            try! { () -> [UInt8] in
                var h = Framedrpc_V1_CallHeaders()
                h.method = "no-slashes"
                return try h.serializedBytes()
            }(),
            try! { () -> [UInt8] in
                var h = Framedrpc_V1_CallHeaders()
                h.method = emptyCall
                h.metadata = [
                    .with {
                        $0.key = "Bad Key"
                        $0.text = "x"
                    }
                ]
                return try h.serializedBytes()
            }(),
        ])
    func malformedHeaders(payload: [UInt8]) async throws {
        try await withRawConnection { raw in
            try await raw.sendPreface()
            try await raw.sendFrame(.headers, stream: 1, payload: payload)
            let events = await raw.collect(until: { $0.status != nil })
            #expect(events.compactMap(\.status).first?.status.code == StatusCode.invalidArgument.rawValue)
        }
    }

    @Test(
        "unknown methods and services get UNIMPLEMENTED",
        arguments: [
            "/framedrpc.testing.TestService/NoSuchMethod",
            "/no.such.Service/Method",
        ])
    func unknownMethod(path: String) async throws {
        try await withRawConnection { raw in
            try await raw.sendPreface()
            try await raw.sendCall(stream: 1, method: path, message: [])
            let events = await raw.collect(until: { $0.status != nil })
            let status = events.compactMap(\.status).first?.status
            #expect(status?.code == StatusCode.unimplemented.rawValue)
            #expect(status?.message.isEmpty == false)
        }
    }

    @Test("a unary call with two request messages gets INVALID_ARGUMENT")
    func twoMessagesOnUnary() async throws {
        try await withRawConnection { raw in
            try await raw.sendPreface()
            try await raw.sendCall(stream: 1, method: Self.emptyCall, message: nil)
            try await raw.sendFrame(.message, stream: 1)
            try await raw.sendFrame(.message, stream: 1)
            try await raw.sendFrame(.halfClose, stream: 1)
            let events = await raw.collect(until: { $0.status != nil })
            #expect(events.compactMap(\.status).first?.status.code == StatusCode.invalidArgument.rawValue)
        }
    }

    @Test("sending beyond the flow-control window gets GOAWAY FLOW_CONTROL_ERROR")
    func flowControlViolation() async throws {
        try await withRawConnection { raw in
            try await raw.sendPreface()
            // Stall never reads, so no credit comes back: 1 MiB is all the client may send.
            try await raw.sendCall(stream: 1, method: ProbeService.stall.path, message: nil)
            let chunk = [UInt8](repeating: 0, count: 256 << 10)
            for _ in 0..<6 {
                // The server closes once the window is overrun, so later writes may fail.
                try? await raw.sendFrame(.message, stream: 1, payload: chunk)
            }
            let events = await raw.collect()
            #expect(goAway(in: events)?.code == .flowControlError)
        }
    }
}
