import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle

/// Cardex's connections to one PostgreSQL database: postgres-nio's `PostgresClient` (a pool of
/// at most ``PostgresStoreConfiguration/Limits/maxConnections`` connections) behind the few
/// operations the stores need.
///
/// A `Service`: ``run()`` must be running (the server runs it in its service group) for any
/// connection to be lent; until then ``withConnection(_:)`` and the transactions wait. Ending
/// ``run()`` (cancellation or graceful shutdown) closes the pool: every later call fails.
///
/// Queries run on postgres-nio's event loops, which only move bytes; the callers' code runs on
/// their own tasks, never on an event loop.
public final class PostgresConnectionPool: Service, Sendable {
    /// The settings the pool was made from.
    public let configuration: PostgresStoreConfiguration
    let client: PostgresClient
    let logger: Logger
    private let eventLoopGroup: any EventLoopGroup

    /// Creates a pool that connects lazily, once ``run()`` runs and work asks for a connection.
    ///
    /// - Parameters:
    ///   - eventLoopGroup: where the connections' I/O runs; default postgres-nio's shared
    ///     singleton group.
    ///   - logger: receives the pool's background messages and each query's debug lines.
    /// - Throws: ``PostgresConfigurationError`` for a limit out of range or an unreadable
    ///   `sslrootcert`.
    public init(
        configuration: PostgresStoreConfiguration,
        eventLoopGroup: any EventLoopGroup = PostgresClient.defaultEventLoopGroup,
        logger: Logger = Logger(label: "cardex.postgres")
    ) throws {
        self.configuration = configuration
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        client = PostgresClient(
            configuration: try configuration.makeClientConfiguration(), eventLoopGroup: eventLoopGroup,
            backgroundLogger: logger)
    }

    /// Runs the pool until the task is cancelled or a graceful shutdown begins, then closes its
    /// connections. May be called once.
    public func run() async {
        await client.run()
    }

    /// Opens one connection outside the pool, runs `SELECT 1` and closes it, so that a server
    /// starting up learns at once, with the server's reason, that the host, the password or the
    /// certificate is wrong. (The pool itself retries failed connections and fails waiting work
    /// only after postgres-nio's 60 s circuit breaker.)
    ///
    /// - Throws: ``PostgresConnectionError`` saying why (the server's message, or the
    ///   connection's or TLS's error); ``PostgresConfigurationError`` for unusable settings.
    public func verifyConnection() async throws {
        let connectionConfiguration = try configuration.makeConnectionConfiguration()
        do {
            let connection = try await PostgresConnection.connect(
                on: eventLoopGroup.any(), configuration: connectionConfiguration, id: 0, logger: logger)
            do {
                try await connection.query("SELECT 1", logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        } catch {
            throw PostgresConnectionError(configuration, error)
        }
    }

    /// Opens a connection of its own, outside the pool, for `body`'s duration, then closes it:
    /// for work that holds a connection for long (listening for notifications), so that it
    /// never takes one of the pool's from the transactions.
    ///
    /// - Throws: what `body` throws; ``PostgresConnectionError`` when no connection could be made.
    public func withDedicatedConnection<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                on: eventLoopGroup.any(), configuration: try configuration.makeConnectionConfiguration(), id: 1, logger: logger)
        } catch {
            throw PostgresConnectionError(configuration, error)
        }
        do {
            let result = try await body(connection)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Lends a connection for `body`'s duration, outside any transaction (each statement commits
    /// on its own). `body` must not keep the connection.
    ///
    /// - Throws: what `body` throws, or a `PSQLError` when no connection could be made.
    @discardableResult
    public func withConnection<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await client.withConnection { connection in
            try await body(connection)
        }
    }
}
