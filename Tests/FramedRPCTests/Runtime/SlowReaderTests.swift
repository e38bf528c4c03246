import FramedRPCInterop
import NIOCore
import Testing

@testable import FramedRPC

@Suite("A client that does not read: the server bounds what it queues for it")
struct SlowReaderTests {
    /// More than loopback's kernel buffers (both directions, both sockets) hold: a server that
    /// keeps reading takes all of it.
    static let floodBytes = 64 << 20

    @Test("PINGs from a client that never reads: the server stops reading it, and serves others")
    func pingFloodPausesReading() async throws {
        // Paused, the server queues at most the 64 KiB mark plus the PONGs of one read cycle
        // (NIO reads up to 4 × 64 KiB); a server that kept reading would pass 1 MiB and close.
        let configuration = ServerConfiguration.with { $0.backpressure.maxBufferedOutboundBytes = 1 << 20 }
        try await withServer(configuration: configuration) { server, _ in
            let raw = try await Self.connectedRawClient(port: server.port!)
            try await raw.stopReading()
            var ping = ByteBuffer()
            for _ in 0..<(256 << 10) / 18 {
                ping.writeFrame(type: .ping, streamID: 0, payload: [1, 2, 3, 4, 5, 6, 7, 8])
            }
            let pings = Array(ping.readableBytesView)
            // Stopped, not slow: a server still reading takes 256 KiB within moments.
            var stopped = false
            var taken = 0
            while !stopped, taken < Self.floodBytes {
                if await raw.startSending(pings).succeeds(within: .seconds(1)) {
                    taken += pings.count
                } else {
                    stopped = true
                }
            }
            #expect(stopped, "the server read all \(taken) bytes of PINGs from a client that read no PONG")
            #expect(server.connectionCount == 1, "the server closed the paused connection")
            try await expectServerStillServes(server)
            await raw.close()
        }
    }

    @Test("responses to a client that grants window but never reads: closed past the queue cap")
    func unreadResponsesClose() async throws {
        let configuration = ServerConfiguration.with { $0.backpressure.maxBufferedOutboundBytes = 2 << 20 }
        try await withServer(configuration: configuration) { server, _ in
            let raw = try await Self.connectedRawClient(port: server.port!)
            try await raw.stopReading()
            let request = Framedrpc_Testing_StreamingOutputCallRequest.with {
                $0.responseParameters = Array(repeating: .with { $0.size = 512 << 10 }, count: Self.floodBytes / (512 << 10))
            }
            try await raw.sendCall(
                stream: 1, method: "/framedrpc.testing.TestService/StreamingOutputCall", message: try request.serializedBytes())
            var increment = ByteBuffer()
            increment.writeInteger(UInt32(FlowControl.maxWindow - FlowControl.initialWindow))
            try await raw.sendFrame(.windowUpdate, stream: 1, payload: Array(increment.readableBytesView))
            var closed = false
            for _ in 0..<500 where !closed {
                try await Task.sleep(for: .milliseconds(10))
                closed = server.connectionCount == 0
            }
            #expect(closed, "the server kept queueing responses for a client that read none")
            try await expectServerStillServes(server)
            await raw.close()
        }
    }

    /// A TLS connection past the preface exchange.
    private static func connectedRawClient(port: Int) async throws -> RawConnection {
        let raw = try await RawConnection.connect(port: port, tls: TestCertificates.client())
        try await raw.sendPreface()
        let events = await raw.collect(until: { if case .preface = $0 { true } else { false } })
        #expect(events.last == .preface(.current))
        return raw
    }
}
