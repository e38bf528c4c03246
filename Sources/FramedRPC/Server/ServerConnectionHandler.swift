import NIOCore

/// Asks a server connection to drain: send GOAWAY, finish open calls, refuse new ones, close.
struct ServerDrainEvent: Sendable {
    /// Open calls still running after this long end with `UNAVAILABLE`.
    var gracePeriod: Duration
}

/// The server's side of one connection: reads frames, runs one task per call, writes responses.
///
/// Everything here runs on the channel's event loop. Calls reach it from their tasks through
/// ``ServerStreamOutbound``, which hops onto the loop when needed. Writes go through a
/// ``BatchedWriter``.
final class ServerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// One open call.
    final class Stream {
        let call: ServerCall
        /// What the client may still send before it must wait for credit.
        var receiveWindow = ReceiveWindow()
        var clientHalfClosed = false
        var task: Task<Void, Never>?
        var deadlineTimer: Scheduled<Void>?

        init(call: ServerCall) {
            self.call = call
        }

        /// Ends the call without a status (the client cancelled, or the connection is gone):
        /// the handler's reads and writes fail with `reason` and its task is cancelled.
        func abandon(_ reason: RPCError) {
            deadlineTimer?.cancel()
            call.requests.fail(reason)
            call.responseWindow.fail(reason)
            task?.cancel()
        }
    }

    /// A method path this connection has seen, with its handler (`nil`: not registered).
    /// A HEADERS payload without metadata as SwiftProtobuf decoded it, with its method: a
    /// payload with the same bytes (calls in a loop) starts its call without decoding again.
    struct KnownHeaders {
        var bytes: [UInt8]
        var path: String
        var method: RPCRouter.Method?
        /// The method's metrics handles, when the server keeps metrics.
        var methodMetrics: ServerMetrics.Method?
        var timeoutMicros: UInt64
    }

    let router: RPCRouter
    let interceptors: [any ServerInterceptor]
    let configuration: ServerConfiguration
    /// What counts calls, bytes and failures; nil when the server keeps no metrics.
    let metrics: ServerMetrics?

    /// The connection's phase, idle and keepalive clocks: what to do on each event is decided
    /// there (ServerConnectionStateMachine.swift), and done here and in +Lifecycle.
    var state: ServerConnectionStateMachine
    private var reader: FrameReader
    var streams: [UInt32: Stream] = [:]
    var highestStreamID: UInt32 = 0
    /// The last valid method path opened on this connection.
    var lastHeaders: KnownHeaders?
    var context: ChannelHandlerContext?
    var peer = "unknown"
    private var executor: EventLoopExecutor?
    /// This handler, for calls' tasks to reach it; set once the handler is added.
    private var bound: NIOLoopBound<ServerConnectionHandler>?
    /// This tick's outgoing frames; `nil` until the handler is added.
    var writer: BatchedWriter?

    // The timers `state` arms; each calls back into it when it fires.
    var handshakeTimer: Scheduled<Void>?
    var idleTimer: Scheduled<Void>?
    var keepaliveTimer: Scheduled<Void>?
    var drainTimer: Scheduled<Void>?

    /// Told once, on the event loop, when the TLS handshake and the preface are complete (the
    /// server's admission stops counting the connection as pending); dropped then.
    var onEstablished: (() -> Void)?

    /// `onEstablished` runs once the client's preface is accepted.
    init(
        router: RPCRouter, interceptors: [any ServerInterceptor], configuration: ServerConfiguration,
        metrics: ServerMetrics? = nil, onEstablished: (() -> Void)? = nil
    ) {
        self.router = router
        self.interceptors = interceptors
        self.configuration = configuration
        self.metrics = metrics
        self.reader = FrameReader(maxFrameSize: configuration.frames.maxFrameSize)
        self.state = ServerConnectionStateMachine(timeouts: .init(configuration))
        self.onEstablished = onEstablished
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        writer = BatchedWriter(context: context, sentBytes: metrics?.bytesSent)
        metrics?.connections.increment()
        limitOutboundBuffering()
        bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        if configuration.runHandlersOnEventLoop {
            executor = EventLoopExecutor(context.eventLoop)
        }
        peer = context.channel.remoteAddress.map { "\($0)" } ?? "unknown"
        let handshakeDeadline = state.started(now: context.eventLoop.now)
        handshakeTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: handshakeDeadline) { [self] in
            handshakeTimerFired()
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        tearDown(reason: RPCError(code: .unavailable, message: "the connection closed"))
        metrics?.connections.decrement()
        // The context holds this handler, and so do `writer` (through the context) and `bound`:
        // let go of them, or the handler, its buffers and its pipeline are never freed. A call
        // still running holds the handler until it ends; its writes are dropped.
        self.context = nil
        writer = nil
        bound = nil
        executor = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        tearDown(reason: RPCError(code: .unavailable, message: "the connection closed"))
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard state.isOpen else { return }
        state.read(now: context.eventLoop.now)
        let bytes = unwrapInboundIn(data)
        metrics?.bytesReceived.increment(by: bytes.readableBytes)
        reader.append(bytes)
        do {
            while state.isOpen, let event = try reader.next() {
                switch event {
                case .preface:
                    acceptPreface()
                case .frame(let frame):
                    do {
                        try handle(frame)
                    } catch {
                        connectionError(error.code, error.message)
                    }
                }
            }
        } catch let error as FramingError {
            framingFailed(error)
        } catch {
            closeNow()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // TLS failures (plaintext on the TLS port, an old TLS version, a bad client
        // certificate) and socket errors: nothing useful can be said on the wire.
        guard state.isOpen else { return }
        metrics?.connectionFailed(.transport)
        closeNow()
    }

    private func framingFailed(_ error: FramingError) {
        switch error {
        case .badMagic:
            metrics?.connectionFailed(.badMagic)
            closeNow()
        case .unsupportedVersion:
            writer?.raw(Preface.current.bytes)
            connectionError(.unsupportedVersion, "\(error)")
        case .frameTooLarge:
            connectionError(.frameTooLarge, "\(error)")
        case .unknownFrameType:
            connectionError(.protocolError, "\(error)")
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let drain = event as? ServerDrainEvent {
            beginDrain(gracePeriod: drain.gracePeriod)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    // MARK: - Calls' way back (on the event loop)

    func sendHeaders(streamID: UInt32, _ metadata: Metadata) {
        guard streams[streamID] != nil else { return }
        var headers = Framedrpc_V1_ResponseHeaders()
        headers.metadata = metadata.wire
        writer?.frame(.headers, streamID: streamID, payload: headers.payloadBytes)
    }

    func sendMessage(streamID: UInt32, _ bytes: [UInt8]) {
        guard streams[streamID] != nil else { return }
        writer?.frame(.message, streamID: streamID, payload: bytes)
    }

    func sendStatus(streamID: UInt32, _ status: CallStatus) {
        guard let stream = streams.removeValue(forKey: streamID) else { return }
        stream.deadlineTimer?.cancel()
        if status.isPlainOK {
            writer?.emptyFrame(.status, streamID: streamID)
        } else {
            writer?.frame(.status, streamID: streamID, payload: status.wire.payloadBytes)
        }
        callEnded()
    }

    /// Answers a call that never started (refused or malformed HEADERS).
    /// Counted under the method `other` in metrics: the path is not known yet.
    func refuse(streamID: UInt32, _ code: StatusCode, _ message: String) {
        metrics?.callRefused(code)
        writer?.frame(.status, streamID: streamID, payload: CallStatus(code: code, message: message).wire.payloadBytes)
    }

    // MARK: - Starting calls

    func startCall(
        streamID: UInt32, path: String, method: RPCRouter.Method?, methodMetrics: ServerMetrics.Method?, metadata: Metadata,
        timeoutMicros: UInt64
    ) {
        guard let context, let bound else { return }
        let loop = context.eventLoop
        let outbound = ServerStreamOutbound(streamID: streamID, handler: bound)
        let inbox = MessageInbox { [outbound] credit in outbound.returnCredit(credit) }
        let deadline = timeoutMicros > 0 ? ContinuousClock.now + .microseconds(timeoutMicros) : nil
        let call = ServerCall(
            path: path,
            metadata: metadata,
            deadline: deadline,
            peer: peer,
            requests: inbox,
            responseWindow: SendWindow(),
            outbound: outbound,
            dispatch: ServerCallDispatch(router: router, method: method, interceptors: interceptors),
            metrics: methodMetrics.flatMap { method in metrics?.callStarted(method) }
        )
        let stream = Stream(call: call)
        streams[streamID] = stream
        state.callStarted()

        if timeoutMicros > 0 {
            stream.deadlineTimer = loop.assumeIsolated().scheduleTask(in: .microseconds(Int64(clamping: timeoutMicros))) { [self] in
                deadlineExpired(streamID: streamID)
            }
        }
        stream.task = Task(executorPreference: executor) { [call] in
            await call.run()
        }
    }

    private func deadlineExpired(streamID: UInt32) {
        guard let stream = streams[streamID] else { return }
        stream.call.finish(CallStatus(code: .deadlineExceeded, message: "the call's deadline passed before it finished"))
        stream.task?.cancel()
    }

    func returnCredit(streamID: UInt32, _ credit: Int) {
        guard let stream = streams[streamID] else { return }
        stream.receiveWindow.credit(credit)
        writer?.windowUpdate(streamID: streamID, increment: credit)
    }

    // MARK: - Ending

    /// Handles a broken rule: GOAWAY with `code`, then close.
    func connectionError(_ code: Framedrpc_V1_GoAwayCode, _ message: String) {
        guard state.isOpen else { return }
        metrics?.connectionFailed(code)
        writeGoAway(code, message)
        closeNow()
    }

    func writeGoAway(_ code: Framedrpc_V1_GoAwayCode, _ message: String) {
        var goAway = Framedrpc_V1_GoAway()
        goAway.lastStreamID = highestStreamID
        goAway.code = code
        goAway.message = message
        metrics?.goAwaySent(code)
        writer?.frame(.goAway, streamID: 0, payload: goAway.payloadBytes)
    }

    /// Flushes what is pending and closes the channel; open calls are cancelled.
    func closeNow() {
        guard state.isOpen, let context else { return }
        writer?.flush()
        tearDown(reason: RPCError(code: .unavailable, message: "the connection closed"))
        context.close(promise: nil)
    }

    func tearDown(reason: RPCError) {
        state.closed()
        for timer in [handshakeTimer, idleTimer, keepaliveTimer, drainTimer] { timer?.cancel() }
        let open = streams
        streams.removeAll()
        for stream in open.values {
            stream.abandon(reason)
        }
    }
}
