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
    @Option(
        help: """
            The server secret's file, as `cardex serve --secret-file` (default: the data directory's; with --database and no \
            --data-dir, one kept for that database in the temporary directory, so that every run on it holds the same secret).
            """)
    var secretFile: String?

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
        return try .postgres(url: database, limits: PostgresStoreConfiguration.Limits.with { $0.maxConnections = databaseConnections })
    }

    /// The secret file the server uses: `--secret-file`; else, for a PostgreSQL database run
    /// without `--data-dir` (a new temporary directory each run), one file per database in the
    /// temporary directory, made on first use: the database records the first run's secret and
    /// refuses a server holding another. `nil`: the data directory's.
    func serverSecretFile() throws -> String? {
        if let secretFile { return secretFile }
        guard dataDir == nil, case .postgres(let database) = try serverDatabase() else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cardex-bench-secrets")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let name = "\(database.host)_\(database.port)_\(database.database)".map { $0.isLetter || $0.isNumber ? $0 : "_" }
        return directory.appendingPathComponent(String(name) + ".key").path
    }

    /// Checks that `--seeded` names a store that `cardex-bench seed` could have seeded.
    func validate(seeded: Bool) throws {
        guard !seeded || dataDir != nil || database != nil else {
            throw ValidationError("--seeded needs --data-dir (SQLite) or --database (PostgreSQL)")
        }
    }
}
