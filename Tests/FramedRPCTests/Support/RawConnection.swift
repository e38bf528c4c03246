import NIOCore
import NIOPosix
import NIOSSL
import SwiftProtobuf

@testable import FramedRPC

/// A connection that writes whatever bytes a test gives it and decodes what the server sends:
/// the way to break the protocol on purpose.
final class RawConnection: Sendable {
    /// What the server sent, decoded, in order; ends when the server closes.
    enum Event: Sendable, Equatable {
        case preface(Preface)
        case frame(Frame)
        case closed
    }

    private let channel: any Channel
    private let events: AsyncStream<Event>

    /// Decodes what the server sends into ``Event``s.
    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        private let continuation: AsyncStream<Event>.Continuation
        private var decoder = FrameDecoder(maxFrameSize: 64 << 20)
        private var buffer = ByteBuffer()

        init(continuation: AsyncStream<Event>.Continuation) {
            self.continuation = continuation
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            buffer.writeImmutableBuffer(unwrapInboundIn(data))
            do {
                while let event = try decoder.decode(buffer: &buffer) {
                    switch event {
                    case .preface(let preface): continuation.yield(.preface(preface))
                    case .frame(let frame): continuation.yield(.frame(frame))
                    }
                }
            } catch {
                context.close(promise: nil)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            continuation.yield(.closed)
            continuation.finish()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }

    private init(channel: any Channel, events: AsyncStream<Event>) {
        self.channel = channel
        self.events = events
    }

    /// Connects to the server on loopback, with TLS (trusting the test CA) or without, from
    /// `localHost` when given (any of 127.0.0.0/8, to act as another client address).
    static func connect(port: Int, tls: ClientTLSConfiguration? = nil, from localHost: String? = nil) async throws -> RawConnection {
        let context = try tls.map { try $0.makeContext() }
        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        if let localHost {
            bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: localHost, port: 0))
        }
        let channel =
            try await bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: "localhost"))
                    }
                    try channel.pipeline.syncOperations.addHandler(Collector(continuation: continuation))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return RawConnection(channel: channel, events: events)
    }

    /// Writes `bytes` as they are.
    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Writes the client preface (`major.minor` defaults to the current version).
    func sendPreface(_ preface: Preface = .current) async throws {
        try await send(preface.bytes)
    }

    /// Writes one frame.
    func sendFrame(_ type: FrameType, stream: UInt32, payload: [UInt8] = []) async throws {
        var buffer = ByteBuffer()
        buffer.writeFrame(type: type, streamID: stream, payload: payload)
        try await send(Array(buffer.readableBytesView))
    }

    /// Opens a call: HEADERS for `method`, then one MESSAGE and HALF_CLOSE when `message` is given.
    func sendCall(stream: UInt32, method: String, message: [UInt8]?, timeoutMicros: UInt64 = 0) async throws {
        var headers = Framedrpc_V1_CallHeaders()
        headers.method = method
        headers.timeoutMicros = timeoutMicros
        try await sendFrame(.headers, stream: stream, payload: try headers.serializedBytes())
        if let message {
            try await sendFrame(.message, stream: stream, payload: message)
            try await sendFrame(.halfClose, stream: stream)
        }
    }

    /// Everything the server sends until it closes, or until `timeout` passes (long by default:
    /// every caller expects a close, which a loaded machine running every suite at once took
    /// over 5 s to reach).
    func collect(for timeout: Duration = .seconds(30)) async -> [Event] {
        await collect(until: { _ in false }, timeout: timeout)
    }

    /// Events until one satisfies `stop` (included), the server closes, or `timeout` passes. The
    /// default bound is long: it only ends a wait for an answer that never comes, and a loaded
    /// machine running every suite at once took over 5 s to answer a 4 MiB HEADERS frame.
    func collect(until stop: @escaping @Sendable (Event) -> Bool, timeout: Duration = .seconds(30)) async -> [Event] {
        let events = self.events
        return await withTaskGroup(of: [Event]?.self) { group in
            group.addTask {
                var seen: [Event] = []
                for await event in events {
                    seen.append(event)
                    if stop(event) || event == .closed { break }
                }
                return seen
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            var result: [Event] = []
            if let first = await group.next(), let events = first { result = events }
            group.cancelAll()
            return result
        }
    }

    /// Stops reading from the socket: what the server sends from now on, its TLS close_notify
    /// included, stays unread and unanswered (a client that hangs, or an attacker); it fills
    /// the kernel's buffers, and after them the server's own.
    func stopReading() async throws {
        try await channel.setOption(.autoRead, value: false).get()
    }

    /// Closes the connection.
    func close() async {
        try? await channel.close()
    }

    /// Writes `bytes` without waiting: the future succeeds once the socket has taken them all
    /// (it does not while the kernel's buffers are full because the server stopped reading).
    func startSending(_ bytes: [UInt8]) -> EventLoopFuture<Void> {
        let written = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(ByteBuffer(bytes: bytes), promise: written)
        return written.futureResult
    }
}

extension EventLoopFuture where Value == Void {
    /// Whether the future succeeds within `timeout`; waits no longer than that.
    func succeeds(within timeout: Duration) async -> Bool {
        let outcome = eventLoop.makePromise(of: Bool.self)
        // Both callbacks run on the loop; the second to complete `outcome` changes nothing.
        let timer = eventLoop.scheduleTask(in: TimeAmount(timeout)) { outcome.succeed(false) }
        whenComplete { result in
            timer.cancel()
            outcome.succeed((try? result.get()) != nil)
        }
        return (try? await outcome.futureResult.get()) ?? false
    }
}

extension RawConnection.Event {
    /// The STATUS frame's decoded payload, if this is one.
    var status: (stream: UInt32, status: Framedrpc_V1_CallStatus)? {
        guard case .frame(let frame) = self, frame.type == .status,
            let status = try? Framedrpc_V1_CallStatus(payload: frame.payload)
        else { return nil }
        return (frame.streamID, status)
    }

    /// The GOAWAY frame's decoded payload, if this is one.
    var goAway: Framedrpc_V1_GoAway? {
        guard case .frame(let frame) = self, frame.type == .goAway else { return nil }
        return try? Framedrpc_V1_GoAway(payload: frame.payload)
    }

    /// The frame type, if this is a frame.
    var frameType: FrameType? {
        guard case .frame(let frame) = self else { return nil }
        return frame.type
    }
}
