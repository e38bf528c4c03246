import CardexCore
import CardexPostgres
import CardexSQLite
import CardexServer
import Foundation
import Logging

/// A store the benchmarks write into directly, beside the running server: accounts and group
/// members seeded without RPCs. Both backends have these calls.
protocol SeedingStore: TransactionalStore {
    func seedAccounts(_ indices: Range<Int>, of population: SeedPopulation, now: Date) async throws -> [UserID]
    func seedMembers(_ users: [UserID], of groupID: String, now: Date) async throws
}

extension SQLiteStore: SeedingStore {}
extension PostgresStore: SeedingStore {}

/// Opens, in this process, the store a server configuration names.
enum BenchStore {
    /// Runs `body` with the store of `configuration`: its SQLite file, or its PostgreSQL database
    /// through a pool of its own (migrated first, closed when `body` returns).
    static func with<Result: Sendable>(
        _ configuration: CardexServerConfiguration, _ body: (any SeedingStore) async throws -> Result
    ) async throws -> Result {
        switch configuration.database {
        case .embedded:
            return try await body(SQLiteStore.open(SQLiteStore.Configuration(path: configuration.databasePath)))
        case .postgres(let database):
            return try await withPostgres(database) { try await body($0) }
        }
    }

    /// Runs `body` with a ``PostgresStore`` on `database`, its pool running meanwhile.
    static func withPostgres<Result: Sendable>(
        _ database: PostgresStoreConfiguration, _ body: (PostgresStore) async throws -> Result
    ) async throws -> Result {
        var logger = Logger(label: "cardex-bench.postgres")
        logger.logLevel = .warning
        let pool = try PostgresConnectionPool(configuration: database, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
            group.addTask { await pool.run() }
            defer { group.cancelAll() }
            // A wrong URL or password fails here with the server's reason (the pool would retry for a minute).
            try await pool.verifyConnection()
            return try await body(try await PostgresStore(pool: pool))
        }
    }
}
