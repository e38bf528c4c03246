import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// The TCP (+TLS) transport: one connection at a time, opened on first use and replaced once
/// the server sends GOAWAY or the connection drops.
final class NIOClientTransport: ClientTransport {
    /// A live connection and its handler.
    struct Connection: Sendable {
        let channel: any Channel
        let handler: NIOLoopBound<ClientConnectionHandler>
        let callSlots: SendWindow
        let executor: EventLoopExecutor
        let id: Int
    }

    private struct State {
        var ready: Connection?
        var connecting: Task<Connection, any Error>?
        var nextID = 0
        var closed = false
    }

    private let host: String
    private let port: Int
    private let sslContext: NIOSSLContext?
    private let serverHostname: String?
    private let configuration: ClientConfiguration
    private let group: any EventLoopGroup
    private let state = NIOLockedValueBox(State())

    init(host: String, port: Int, tls: ClientTLSConfiguration?, configuration: ClientConfiguration, group: any EventLoopGroup) throws {
        self.host = host
        self.port = port
        self.sslContext = try tls?.makeContext()
        self.serverHostname = tls?.serverHostname ?? (Self.isIPAddress(host) ? nil : host)
        self.configuration = configuration
        self.group = group
    }

    func open(_ head: CallHead, firstMessage: [UInt8]?, halfClose: Bool) async throws -> ClientCall {
        let connection = try await connection()
        // Beyond the concurrency limit, wait for a call to end rather than be refused.
        try await connection.callSlots.reserve(1)
        let ref = ClientStreamRef()
        let handler = connection.handler
        let call = ClientCall(
            responses: MessageInbox { credit in
                handler.onLoop { $0.returnCredit(ref, credit) }
            })
        if let firstMessage { _ = call.requestWindow.reserveWithoutWaiting(firstMessage.count) }
        call.attach(ClientStreamOutbound(ref: ref, handler: handler))
        if let connectionHandler = handler.valueIfOnLoop {
            connectionHandler.open(call, ref: ref, head: head, firstMessage: firstMessage, halfClose: halfClose)
        } else {
            handler.onLoop { handler in
                handler.open(call, ref: ref, head: head, firstMessage: firstMessage, halfClose: halfClose)
            }
        }
        return call
    }

    nonisolated(nonsending) func unary(_ head: CallHead, request: [UInt8]) async throws -> UnaryResponse {
        let connection = try await connection()
        // Beyond the concurrency limit, wait for a call to end rather than be refused.
        try await connection.callSlots.reserve(1)
        let call = UnaryClientCall(requestSize: request.count)
        let handler = connection.handler
        if let connectionHandler = handler.valueIfOnLoop {
            connectionHandler.openUnary(call, head: head, request: request)
        } else {
            handler.onLoop { $0.openUnary(call, head: head, request: request) }
        }
        return try await withTaskCancellationHandler {
            try await call.response()
        } onCancel: {
            if call.complete(.failure(RPCError(code: .cancelled, message: "the calling task was cancelled"))) {
                handler.onLoop { $0.cancelUnary(call) }
            }
        }
    }

    func connectionExecutor() async throws -> (any TaskExecutor)? {
        try await connection().executor
    }

    func close() async {
        let (ready, connecting) = state.withLockedValue { state in
            state.closed = true
            defer {
                state.ready = nil
                state.connecting = nil
            }
            return (state.ready, state.connecting)
        }
        connecting?.cancel()
        if let ready {
            ready.handler.onLoop { $0.close() }
            try? await ready.channel.closeFuture.get()
        }
    }

    /// The ready connection, or a new one (shared by callers that arrive while it connects).
    private nonisolated(nonsending) func connection() async throws -> Connection {
        enum Next {
            case ready(Connection)
            case wait(Task<Connection, any Error>)
        }
        let next: Next = try state.withLockedValue { state in
            if state.closed { throw RPCError(code: .unavailable, message: "the client has been closed") }
            if let ready = state.ready { return .ready(ready) }
            if let connecting = state.connecting { return .wait(connecting) }
            state.nextID += 1
            let id = state.nextID
            let task = Task { try await self.connect(id: id) }
            state.connecting = task
            return .wait(task)
        }
        switch next {
        case .ready(let connection): return connection
        case .wait(let task): return try await task.value
        }
    }

    private func connect(id: Int) async throws -> Connection {
        do {
            let connection = try await makeConnection(id: id)
            let usable = state.withLockedValue { state in
                state.connecting = nil
                guard !state.closed else { return false }
                state.ready = connection
                return true
            }
            if !usable {
                connection.channel.close(promise: nil)
                throw RPCError(code: .unavailable, message: "the client has been closed")
            }
            return connection
        } catch let error as RPCError {
            state.withLockedValue { $0.connecting = nil }
            throw error
        } catch {
            state.withLockedValue { $0.connecting = nil }
            throw RPCError(code: .unavailable, message: "cannot connect to \(host):\(port): \(error)")
        }
    }

    private func makeConnection(id: Int) async throws -> Connection {
        let sslContext = self.sslContext
        let serverHostname = self.serverHostname
        let maxFrameSize = configuration.maxFrameSize
        let maxConcurrentCalls = configuration.maxConcurrentCalls
        let maxMetadataSize = configuration.maxMetadataSize
        let onUnusable: @Sendable () -> Void = { [weak self] in
            self?.state.withLockedValue { state in
                if state.ready?.id == id { state.ready = nil }
            }
        }
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(configuration.connectTimeout.timeAmount)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let sslContext {
                        try sync.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname))
                    }
                    try sync.addHandler(
                        ClientConnectionHandler(
                            maxConcurrentCalls: maxConcurrentCalls, maxFrameSize: maxFrameSize, maxMetadataSize: maxMetadataSize,
                            onUnusable: onUnusable)
                    )
                }
            }
            .connect(host: host, port: port)
            .get()
        let (handler, callSlots) = try await channel.eventLoop.submit {
            let handler = try channel.pipeline.syncOperations.handler(type: ClientConnectionHandler.self)
            return (NIOLoopBound(handler, eventLoop: channel.eventLoop), handler.callSlots)
        }.get()
        return Connection(
            channel: channel, handler: handler, callSlots: callSlots,
            executor: EventLoopExecutor(channel.eventLoop), id: id
        )
    }

    private static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}

extension RPCClient {
    /// A client for the server at `host:port`. With `tls` the connection is TLS (1.2 or
    /// later, server verified); `tls: nil` is plaintext, for loopback tests only. Connects on
    /// the first call. Throws if the TLS configuration is unusable.
    public convenience init(
        host: String,
        port: Int,
        tls: ClientTLSConfiguration?,
        configuration: ClientConfiguration = .defaults,
        interceptors: [any ClientInterceptor] = [],
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        let transport = try NIOClientTransport(host: host, port: port, tls: tls, configuration: configuration, group: eventLoopGroup)
        self.init(transport: transport, interceptors: interceptors)
    }
}
