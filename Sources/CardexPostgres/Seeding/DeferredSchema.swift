import Logging
import PostgresNIO

/// The foreign keys and the indexes not backing a constraint of the tables a bulk seed fills,
/// read from the catalog (`pg_get_constraintdef`, `pg_get_indexdef`) so that they can be dropped
/// before the rows are copied and made again afterwards exactly as the migrations made them:
/// one index build by sort and one join per foreign key instead of a tree insert and a
/// referenced-row lookup per row. Primary keys and unique constraints stay (rows come in
/// primary-key order, so those trees grow at their right edge).
struct DeferredSchema {
    /// The statements that drop them.
    let drops: [String]
    /// The statements that make them again: indexes first, then foreign keys.
    let creates: [String]

    /// Reads the definitions of `tables`' foreign keys and plain indexes.
    static func read(of tables: [String], _ connection: PostgresConnection, logger: Logger) async throws -> DeferredSchema {
        let rows = try await connection.query(
            """
            SELECT drop_statement, create_statement FROM (
                SELECT 0 AS kind, format('DROP INDEX %s', i.indexrelid::regclass) AS drop_statement,
                       pg_get_indexdef(i.indexrelid) AS create_statement
                FROM pg_index i
                WHERE i.indrelid = ANY(\(tables)::regclass[])
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
                UNION ALL
                SELECT 1, format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
                       format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
                FROM pg_constraint
                WHERE contype = 'f' AND conrelid = ANY(\(tables)::regclass[])
            ) deferred
            ORDER BY kind, create_statement
            """,
            logger: logger)
        var drops: [String] = []
        var creates: [String] = []
        for try await (drop, create) in rows.decode((String, String).self) {
            drops.append(drop)
            creates.append(create)
        }
        return DeferredSchema(drops: drops, creates: creates)
    }

    /// Drops them.
    func drop(_ connection: PostgresConnection, logger: Logger) async throws {
        for statement in drops {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }

    /// Makes them again, checking every foreign key against the rows now present.
    func recreate(_ connection: PostgresConnection, logger: Logger) async throws {
        for statement in creates {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }
}
