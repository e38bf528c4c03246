import NIOCore
import NIOEmbedded

@testable import FramedRPC

/// The connection target: one server connection on an `EmbeddedChannel`, fed a
/// ``ConnectionScript``, with ``FuzzEchoService`` routed behind ``RejectingInterceptor``.
///
/// After the script the client goes away; then the connection must be closed with no call
/// left open and every handler returned, and everything it wrote must pass
/// ``ServerOutputChecker``.
public enum ConnectionHarness {
    /// Small limits, so that the fuzzer reaches them with small inputs.
    static let configuration: ServerConfiguration = {
        var configuration = ServerConfiguration.defaults
        configuration.frames.maxFrameSize = 8192
        configuration.connection.maxConcurrentCalls = 4
        return configuration
    }()
    /// How far the script may move the loop's clock in all. The idle and keepalive timers
    /// compare `NIODeadline.now()`, the wall clock, with deadlines they schedule on the loop's
    /// clock; once the embedded loop's clock passes one, the timer finds the wall-clock
    /// interval not yet over and re-arms for a deadline already past, forever. So the clock
    /// stays short of the keepalive interval (60 s) and those two timers are left out; the
    /// handshake timeout, call deadlines and the drain grace period use the loop's clock only.
    static let maxClockAdvance = TimeAmount.seconds(59)

    /// Runs `input` against a fresh connection and checks the outcome.
    public static func run(_ input: [UInt8]) {
        let script = ConnectionScript(input)
        var checker = ServerOutputChecker(script: script)
        let tracker = FuzzEchoService.Tracker()
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(loop: loop)
        let handler = ServerConnectionHandler(
            router: RPCRouter(services: [FuzzEchoService(tracker: tracker)]),
            interceptors: [RejectingInterceptor()],
            configuration: configuration
        )
        do {
            try channel.pipeline.syncOperations.addHandler(handler)
        } catch {
            fuzzCheck(false, "could not add the handler: \(error)")
        }
        channel.connect(to: try! SocketAddress(ipAddress: "127.0.0.1", port: 40000), promise: nil)
        loop.run()

        var clockAdvance = TimeAmount.zero
        for step in script.steps {
            guard channel.isActive else { break }
            switch step {
            case .send(let bytes):
                _ = try? channel.writeInbound(bytes)
            case .advanceTime(let milliseconds):
                let step = min(.milliseconds(Int64(milliseconds)), maxClockAdvance - clockAdvance)
                clockAdvance = clockAdvance + step
                loop.advanceTime(by: step)
            case .drain(let grace):
                channel.pipeline.fireUserInboundEventTriggered(ServerDrainEvent(gracePeriod: .milliseconds(grace)))
            }
            loop.run()
            readOutbound(channel, into: &checker)
        }

        // The client goes away.
        channel.close(promise: nil)
        loop.run()
        readOutbound(channel, into: &checker)
        checker.finish()
        fuzzCheck(handler.state.phase == .closed, "the connection is \(handler.state.phase) after the channel closed")
        fuzzCheck(handler.streams.isEmpty, "\(handler.streams.count) calls still open after the channel closed")
        let counts = tracker.snapshot
        fuzzCheck(
            counts.started == counts.finished,
            "\(counts.started - counts.finished) of \(counts.started) handlers never returned after the connection closed")
        _ = try? channel.finish(acceptAlreadyClosed: true)
        try? loop.syncShutdownGracefully()
    }

    private static func readOutbound(_ channel: EmbeddedChannel, into checker: inout ServerOutputChecker) {
        while let bytes = try? channel.readOutbound(as: ByteBuffer.self) {
            checker.consume(bytes)
        }
    }
}
