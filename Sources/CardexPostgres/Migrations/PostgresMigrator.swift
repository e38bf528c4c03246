import Logging
import PostgresNIO

/// Applies the append-only list of ``PostgresMigration``s a database has not had yet, in order,
/// recording each in `schema_migrations` (`id`, `applied_at`).
///
/// Guarantees:
/// - Each migration is applied once, in its own transaction, together with its record: it is
///   either wholly applied and recorded, or not at all (PostgreSQL's DDL is transactional).
/// - Several Cardex instances starting at once migrate safely: each migration's transaction first
///   takes the transaction-scoped advisory lock `hashtextextended('cardex.schema_migrations', 0)`
///   and only then reads what is applied, so the second instance waits, then sees the first one's
///   record and skips. READ COMMITTED makes that read see the record: each statement takes a fresh
///   snapshot, taken after the lock was granted.
/// - The migrations' transactions have no `statement_timeout` (a migration may rewrite a large
///   table, and the lock may be held that long).
/// - A database with a migration this list lacks, or with a gap, is refused
///   (``PostgresMigrationError``) before anything is applied.
public struct PostgresMigrator: Sendable {
    /// The migrations, in the order they apply.
    public let migrations: [PostgresMigration]

    /// Creates a migrator of `migrations`, default Cardex's schema (``PostgresSchema/migrations``).
    ///
    /// - Precondition: the ids are unique.
    public init(migrations: [PostgresMigration] = PostgresSchema.migrations) {
        precondition(Set(migrations.map(\.id)).count == migrations.count, "migration ids must be unique")
        self.migrations = migrations
    }

    /// Applies the migrations the database lacks and returns their ids (empty when it was up to
    /// date).
    ///
    /// - Throws: ``PostgresMigrationError`` when the database does not fit the list; a `PSQLError`
    ///   when a statement fails (that migration and the later ones are not applied).
    @discardableResult
    public func migrate(_ pool: PostgresConnectionPool) async throws -> [String] {
        var applied: [String] = []
        for (index, migration) in migrations.enumerated() {
            let didApply = try await pool.withTransaction(.readCommitted) { connection in
                try await Self.lock(connection, logger: pool.logger)
                let done = try await Self.appliedIDs(connection, logger: pool.logger)
                try check(done)
                if done.contains(migration.id) {
                    return false
                }
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: pool.logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (id) VALUES (\(migration.id))", logger: pool.logger)
                return true
            }
            if didApply {
                pool.logger.info(
                    "applied migration", metadata: ["migration": "\(migration.id)", "position": "\(index + 1)"])
                applied.append(migration.id)
            }
        }
        return applied
    }

    /// The ids recorded in `schema_migrations`, oldest first; empty for a database never migrated.
    public func appliedMigrations(_ pool: PostgresConnectionPool) async throws -> [String] {
        try await pool.withConnection { connection in
            let exists =
                try await connection.query(
                    "SELECT to_regclass('schema_migrations') IS NOT NULL", logger: pool.logger
                ).decode(Bool.self).first { _ in true } ?? false
            return exists ? try await Self.appliedIDs(connection, logger: pool.logger) : []
        }
    }

    /// Waits for the migration lock (held until the transaction ends), then makes sure the
    /// record table exists: creating it under the lock keeps two first runs from racing.
    private static func lock(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SET LOCAL statement_timeout = 0", logger: logger)
        try await connection.query(
            "SELECT pg_advisory_xact_lock(hashtextextended('cardex.schema_migrations', 0))", logger: logger)
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                id TEXT COLLATE "C" PRIMARY KEY,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """, logger: logger)
    }

    private static func appliedIDs(_ connection: PostgresConnection, logger: Logger) async throws -> [String] {
        var ids: [String] = []
        let rows = try await connection.query("SELECT id FROM schema_migrations ORDER BY applied_at, id", logger: logger)
        for try await id in rows.decode(String.self) {
            ids.append(id)
        }
        return ids
    }

    /// Refuses ids this list lacks, and an applied migration after one that is not.
    private func check(_ applied: [String]) throws {
        let known = Set(migrations.map(\.id))
        let unknown = applied.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw PostgresMigrationError.unknownMigrations(unknown)
        }
        let done = Set(applied)
        if let firstMissing = migrations.firstIndex(where: { !done.contains($0.id) }),
            let later = migrations[firstMissing...].first(where: { done.contains($0.id) })
        {
            throw PostgresMigrationError.outOfOrder(applied: later.id, missing: migrations[firstMissing].id)
        }
    }
}
