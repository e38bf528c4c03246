import ArgumentParser
import CardexPostgres
import CardexServer
import Foundation

/// Where a benchmark's server keeps its data, or where `cardex-bench seed` writes: the embedded
/// SQLite file of a data directory (the default), or a PostgreSQL database (`--database`). Every
/// command that starts a server, and `seed`, take these options.
struct StoreOptions: ParsableArguments {
    @Option(
        help: """
            Data directory: the server's key, certificate and notification log, and its SQLite database unless --database is \
            given (default: a new temporary one, removed afterwards).
            """)
    var dataDir: String?
    @Option(
        help: """
            A postgres:// URL (sslmode, sslrootcert as `cardex serve --database`): the data is stored in that PostgreSQL \
            database instead of the data directory's SQLite file.
            """)
    var database: String?
    @Option(help: "Most connections to PostgreSQL (with --database), as `cardex serve --database-connections`.")
    var databaseConnections = PostgresStoreConfiguration.Limits.defaults.maxConnections

    func validate() throws {
        do {
            _ = try serverDatabase()
        } catch {
            throw ValidationError("--database: \(error)")
        }
    }

    /// The store the server is configured with.
    func serverDatabase() throws -> CardexServerConfiguration.Database {
        guard let database else { return .embedded }
        return try .postgres(url: database, limits: PostgresStoreConfiguration.Limits(maxConnections: databaseConnections))
    }

    /// Checks that `--seeded` names a store that `cardex-bench seed` could have seeded.
    func validate(seeded: Bool) throws {
        guard !seeded || dataDir != nil || database != nil else {
            throw ValidationError("--seeded needs --data-dir (SQLite) or --database (PostgreSQL)")
        }
    }
}
