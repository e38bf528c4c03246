import CoreMetrics
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// Hosts services over TCP (TLS, or plaintext for loopback tests) and in process.
///
/// ```swift
/// let server = RPCServer(services: [MyService()])
/// try await server.start(host: "127.0.0.1", port: 0, tls: tls)
/// print(server.port!)
/// try await server.waitUntilClosed()        // until shutdown() or an error
/// ```
/// ``RPCClient/init(inProcess:interceptors:)`` reaches the same services without sockets,
/// whether or not the server listens. All methods are safe to call from any task.
public final class RPCServer: Sendable {
    let router: RPCRouter
    let interceptors: [any ServerInterceptor]
    /// The limits this server applies.
    public let configuration: ServerConfiguration
    /// What counts calls, connections and bytes; nil without a metrics factory.
    let metrics: ServerMetrics?
    private let group: any EventLoopGroup

    struct State {
        var listener: (any Channel)?
        var connections: [ObjectIdentifier: any Channel] = [:]
        /// Which connections are pending and from where, and whether the server still takes
        /// new ones (RPCServer+Admission.swift).
        var admission = ConnectionAdmission<ObjectIdentifier>()
    }

    let state = NIOLockedValueBox(State())

    /// Creates a server for `services`. Interceptors run around every handler, the first given
    /// outermost. Nothing listens until ``start(host:port:tls:)``.
    ///
    /// With a `metricsFactory` (swift-metrics), the server counts calls started and finished by
    /// method and status code, their durations by method, open calls and connections, bytes in
    /// and out, GOAWAYs sent and connection failures by code (the names are in
    /// `docs/ARCHITECTURE.md`, "Observability"). With `tracing`, calls make server spans
    /// (``ServerTracing``). `logger` gets what the server cannot tell a
    /// client: a handler that failed with an error carrying no status (the call ends UNKNOWN).
    public init(
        services: [any RPCService],
        interceptors: [any ServerInterceptor] = [],
        configuration: ServerConfiguration = .defaults,
        metricsFactory: (any MetricsFactory)? = nil,
        tracing: ServerTracing? = nil,
        logger: Logger = Logger(label: "framedrpc", factory: { _ in SwiftLogNoOpLogHandler() }),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        var router = RPCRouter(services: services)
        router.logger = logger
        router.tracing = tracing
        self.router = router
        self.metrics = metricsFactory.map { ServerMetrics(paths: router.registeredPaths, factory: $0) }
        self.interceptors = interceptors
        self.configuration = configuration
        self.group = eventLoopGroup
    }

    /// The full names of the services it hosts, sorted.
    public var serviceNames: [String] { router.serviceNames }

    /// Binds and starts accepting connections; returns once bound. `tls: nil` serves plaintext,
    /// which is meant for loopback tests only. Throws when the address cannot be bound or the
    /// TLS configuration is unusable.
    public func start(host: String = "127.0.0.1", port: Int = 0, tls: ServerTLSConfiguration?) async throws {
        let sslContext = try tls?.makeContext(closeTimeout: configuration.connection.tlsCloseTimeout)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: configuration.backpressure.writeBufferWaterMark)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try self.accept(channel, sslContext: sslContext)
                }
            }
            .bind(host: host, port: port)
            .get()
        state.withLockedValue { $0.listener = channel }
    }

    /// The bound port, once ``start(host:port:tls:)`` has returned.
    public var port: Int? {
        state.withLockedValue { $0.listener?.localAddress?.port }
    }

    /// Waits until the listener closes (after ``shutdown(gracePeriod:)``).
    public func waitUntilClosed() async throws {
        guard let listener = state.withLockedValue({ $0.listener }) else { return }
        try await listener.closeFuture.get()
    }

    /// Stops accepting, drains every connection (GOAWAY; open calls may finish within the
    /// grace period, then end with `UNAVAILABLE`), and returns when all connections are closed:
    /// within the grace period plus ``ServerConfiguration/Connection/tlsCloseTimeout`` (a TLS connection
    /// whose client does not answer close_notify is closed after that timeout).
    public func shutdown(gracePeriod: Duration? = nil) async {
        let grace = gracePeriod ?? configuration.drainGracePeriod
        let (listener, connections) = state.withLockedValue { state in
            state.admission.drain()
            return (state.listener, Array(state.connections.values))
        }
        try? await listener?.close()
        for connection in connections {
            connection.pipeline.fireUserInboundEventTriggered(ServerDrainEvent(gracePeriod: grace))
        }
        for connection in connections {
            try? await connection.closeFuture.get()
        }
    }

    /// Number of open connections.
    public var connectionCount: Int {
        state.withLockedValue { $0.connections.count }
    }

    private func accept(_ channel: any Channel, sslContext: NIOSSLContext?) throws {
        guard admit(channel) else {
            channel.close(promise: nil)
            return
        }
        let sync = channel.pipeline.syncOperations
        // First, so that it holds back every read, TLS's own included, while the peer is not
        // reading what this side sends (ServerConnectionHandler+Backpressure.swift).
        try sync.addHandler(BackPressureHandler())
        if let sslContext {
            try sync.addHandler(NIOSSLServerHandler(context: sslContext))
        }
        let id = ObjectIdentifier(channel)
        try sync.addHandler(
            ServerConnectionHandler(router: router, interceptors: interceptors, configuration: configuration, metrics: metrics) { [self] in
                handshakeCompleted(id)
            })
    }
}
