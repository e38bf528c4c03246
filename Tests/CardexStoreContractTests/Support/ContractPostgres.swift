import CardexPostgres
import CardexPostgresTestSupport

/// PostgreSQL for the contract: each case gets a database of its own on ``TestPostgres``'s
/// server, dropped afterwards.
enum ContractPostgres {
    /// Connections each case's store may open: enough for the concurrent cases, few enough for
    /// every case running in parallel to stay under the server's `max_connections`.

    /// A ``PostgresStore`` on a fresh database, its pool running until the store is removed;
    /// `prepare` runs on it first.
    static func makeStore(prepare: (PostgresStore) async throws -> Void = { _ in }) async throws -> TestStore {
        let (configuration, drop) = try await TestPostgres.freshDatabase()
        let pool = try PostgresConnectionPool(configuration: configuration, logger: TestPostgres.logger)
        let running = Task { await pool.run() }
        let remove: @Sendable () async -> Void = {
            running.cancel()
            await running.value
            try? await drop()
        }
        do {
            let store = try await PostgresStore(pool: pool)
            try await prepare(store)
            return TestStore(store: store, remove: remove)
        } catch {
            await remove()
            throw error
        }
    }
}
