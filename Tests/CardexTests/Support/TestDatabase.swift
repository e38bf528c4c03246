import CardexPostgres
import CardexPostgresTestSupport
import CardexServer
import Foundation
import Testing

/// Which store the Cardex service tests run on: the embedded SQLite unless
/// `CARDEX_TEST_DATABASE=postgres`, when every test server gets a database of its own on the test
/// PostgreSQL server (``TestPostgres``). `scripts/test.sh` runs this target both ways.
enum TestDatabase {
    /// Whether this run uses PostgreSQL.
    static let isPostgres = ProcessInfo.processInfo.environment["CARDEX_TEST_DATABASE"] == "postgres"

    /// For tests of the SQLite store's own files, settings or migrations, and for unit tests that
    /// start no server: they run once, in the SQLite run, since the PostgreSQL run would repeat
    /// them unchanged.
    static let embeddedOnly = Testing.ConditionTrait.enabled(
        if: !isPostgres, "runs in the SQLite run only: it is about SQLite itself or uses no store")

    /// The database of a test server whose data directory is `directory`, and what to do once the
    /// test is over.
    ///
    /// On PostgreSQL, a server given its own data directory (`keep`, a test that restarts the
    /// server on the same data) gets a database named after that directory, made on first use and
    /// left for the next start; otherwise a fresh one, dropped afterwards.
    static func database(for directory: String, keep: Bool) async throws -> (CardexServerConfiguration.Database, drop: @Sendable () async -> Void) {
        guard isPostgres else { return (.embedded, {}) }
        if keep {
            return (.postgres(try await TestPostgres.keptDatabase(forKey: directory)), {})
        }
        let (configuration, drop) = try await TestPostgres.freshDatabase()
        return (.postgres(configuration), { try? await drop() })
    }
}
