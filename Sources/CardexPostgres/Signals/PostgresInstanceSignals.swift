import CardexCore
import Logging
import PostgresNIO

/// ``InstanceSignaling`` through PostgreSQL's NOTIFY and LISTEN on one channel: a signal is one
/// `pg_notify` statement (events stored are announced by the transaction that stores them, see
/// ``PostgresTransaction``'s `appendEvents`), and every instance holds one connection of its own listening (outside
/// the pool: one more connection per instance than `--database-connections`). PostgreSQL
/// delivers a notification to every session listening when it is sent, so a signal reaches the
/// other instances within a round trip; an instance whose listening connection broke misses the
/// signals sent until it listens again, and says so (`missed`).
public struct PostgresInstanceSignals: InstanceSignaling {
    /// The channel every Cardex instance on a database listens on.
    public static let channel = "cardex_instances"

    let pool: PostgresConnectionPool
    public let instance: String
    /// How long to wait before listening again after the connection failed.
    let retryDelay: Duration

    /// Creates signals over `pool` (whose `run()` must be running) for the instance named
    /// `instance` (its store's ``PostgresStore/instance``, which announces the events it stores
    /// on the same channel).
    public init(pool: PostgresConnectionPool, instance: String, retryDelay: Duration = .seconds(1)) {
        self.pool = pool
        self.instance = instance
        self.retryDelay = retryDelay
    }

    public func send(_ signal: InstanceSignal) async throws {
        try await pool.withConnection { connection in
            try await connection.query("SELECT pg_notify(\(Self.channel), \(signal.payload))", logger: pool.logger)
        }
    }

    /// Listens on a connection of its own (``PostgresConnectionPool/withDedicatedConnection(_:)``).
    public func listen(receive: @escaping @Sendable (InstanceSignal) -> Void, missed: @escaping @Sendable () -> Void) async {
        while !Task.isCancelled {
            do {
                try await pool.withDedicatedConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        missed()
                        for try await notification in notifications {
                            if let signal = InstanceSignal(payload: notification.payload) { receive(signal) }
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                pool.logger.warning(
                    "listening for other instances' signals failed; listening again", metadata: ["error": "\(error)", "retry_in": "\(retryDelay)"])
            }
            try? await Task.sleep(for: retryDelay)
        }
    }
}
