import CardexCore
import CardexPostgres
import CardexSQLite
import Foundation
import Logging

/// The store a server runs on, whichever backend its configuration names: the use cases'
/// transactions, the notification worker's outbox and the lookup budgets, all on one database.
struct ServerStore: Sendable {
    /// What the server needs of a backend.
    typealias Backend = TransactionalStore & OutboxStore & LookupStore

    /// The backend.
    let backend: any Backend
    /// What a database several instances may share gives them (PostgreSQL's); none for SQLite,
    /// which one instance alone uses, in its own process.
    let shared: SharedDatabase?
    /// What keeps the backend's connections (PostgreSQL's pool) until ``close()``; none for SQLite.
    private let connections: Task<Void, Never>?

    /// Opens the configured database and brings its schema up to date.
    ///
    /// For PostgreSQL it first makes one connection of its own, so a wrong host, password or
    /// certificate stops the start with the server's reason instead of a pool retrying in the
    /// background; then it runs the pool until ``close()``.
    /// A PostgreSQL database may be shared by several instances, which must hold one server
    /// `secret`: the first instance records its fingerprint there (``SecretFingerprint``), and
    /// an instance holding another secret is refused.
    /// - Throws: `PostgresConnectionError` when PostgreSQL cannot be reached, a
    ///   `PostgresMigrationError` for a schema this version does not know, a
    ///   ``CardexServerError`` for a secret other than the database's, GRDB's error when the
    ///   SQLite file cannot be opened.
    static func open(_ configuration: CardexServerConfiguration, secret: Data, logger: Logger) async throws -> ServerStore {
        switch configuration.database {
        case .embedded:
            let store = try await SQLiteStore.open(SQLiteStore.Configuration(path: configuration.databasePath))
            return ServerStore(backend: store, shared: nil, connections: nil)
        case .postgres(let database):
            let pool = try PostgresConnectionPool(configuration: database, logger: logger)
            // Running before the first lease (postgres-nio warns of a lease before run()).
            // Detached: a task created here inherits the service group's graceful-shutdown
            // context, and the pool (a Service) would close at SIGTERM, failing the calls still
            // draining and the writes made while stopping. ``close()`` stops it, last.
            let connections = Task.detached { await pool.run() }
            do {
                try await pool.verifyConnection()
                let store = try await PostgresStore(pool: pool)
                let fingerprint = SecretFingerprint.of(secret)
                guard try await store.adoptSecretFingerprint(fingerprint) == fingerprint else {
                    throw CardexServerError(
                        "the server secret \(configuration.secretPath) is not the one this database was first used with: every instance on a database must use the same secret file (--secret-file), or the codes and messages of the others would not verify or open here"
                    )
                }
                let shared = SharedDatabase(
                    signals: PostgresInstanceSignals(pool: pool, instance: store.instance), presence: store, lookupBudgets: store,
                    probe: { try await store.ping() })
                return ServerStore(backend: store, shared: shared, connections: connections)
            } catch {
                connections.cancel()
                await connections.value
                throw error
            }
        }
    }

    /// Where the data is, for the log: the SQLite file, or the PostgreSQL URL without its password.
    static func describe(_ configuration: CardexServerConfiguration) -> String {
        switch configuration.database {
        case .embedded: configuration.databasePath
        case .postgres(let database): database.description
        }
    }

    /// The database system, as OpenTelemetry's `db.system.name` names it.
    static func system(_ configuration: CardexServerConfiguration) -> String {
        switch configuration.database {
        case .embedded: "sqlite"
        case .postgres: "postgresql"
        }
    }

    /// Closes the backend's connections; call it after the last use of ``backend``.
    func close() async {
        connections?.cancel()
        await connections?.value
    }
}

/// What the instances sharing one database use to act as one service.
struct SharedDatabase: Sendable {
    /// Signals between the instances.
    let signals: any InstanceSignaling
    /// Where this instance records the devices online on it for the others.
    let presence: any PresenceRecording
    /// Where the lookup budgets are, for all instances.
    let lookupBudgets: any SharedLookupBudgets
    /// Asks the database whether it answers (for health checks).
    let probe: @Sendable () async throws -> Void
}
