import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// The CardDAV endpoint: Hummingbird serving ``DAVResponder`` over HTTPS, started and stopped
/// beside the RPC server.
public final class CardDAVServer: Sendable {
    /// The port it listens on (the real one when 0 was asked for).
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Seconds a connection may sit idle before it is closed.
    static let idleTimeout: TimeAmount = .seconds(60)

    private init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    /// Listens on `host:port` with `tls` (its ALPN is set to HTTP/1.1 here); returns once it accepts connections.
    public static func start(
        host: String, port: Int, tls: TLSConfiguration, backend: CardDAVBackend, settings: CardDAVSettings = .defaults, logger: Logger
    ) async throws -> CardDAVServer {
        var tls = tls
        tls.applicationProtocols = ["http/1.1"]
        let responder = DAVResponder(backend: backend, settings: settings, logger: logger)
        let limiter = ConnectionLimiter(maxConnections: settings.maxConnections, maxConnectionsPerAddress: settings.maxConnectionsPerAddress)
        let (bound, boundContinuation) = AsyncStream.makeStream(of: Int.self)
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .notice)
        let application = Application(
            responder: responder,
            server: try .tls(
                .http1(configuration: .init(additionalChannelHandlers: [limiter.handler()], idleTimeout: idleTimeout)), tlsConfiguration: tls),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "Cardex"),
            onServerRunning: { channel in
                boundContinuation.yield(channel.localAddress?.port ?? port)
                boundContinuation.finish()
            },
            logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [], logger: quiet))
        let task = Task {
            defer { boundContinuation.finish() }
            try await group.run()
        }
        var iterator = bound.makeAsyncIterator()
        guard let actual = await iterator.next() else {
            // The group ended before listening: its error says why (the port is taken, …).
            try await task.value
            throw CardDAVServerError("the CardDAV server stopped before it listened on \(host):\(port)")
        }
        return CardDAVServer(port: actual, group: group, task: task)
    }

    /// Stops accepting connections, lets requests in flight finish, and returns when it has stopped.
    public func close() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// Why the CardDAV server could not start.
public struct CardDAVServerError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
