import CardexCore
import CardexPostgres
import CardexPostgresTestSupport
import CardexSQLite
import Foundation
import GRDB
import PostgresNIO
import Testing

/// A store under test that may be bulk-seeded, and what its catalog says of its schema.
struct SchemaStore: Sendable {
    let test: TestStore
    /// The store's tables, indexes and constraints as its catalog describes them, one per line,
    /// sorted: two stores with the same schema give the same lines.
    let schema: @Sendable () async throws -> [String]
}

extension Backend {
    /// A fresh store of this backend, bulk-seeded (`SQLiteStore.bulkSeed` or
    /// `PostgresStore.bulkSeed`) with accounts `0..<count` of `population` when one is given.
    func makeSchemaStore(seeding count: Int = 0, of population: SeedPopulation? = nil, now: Date = Fixture.t0) async throws -> SchemaStore {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("contract-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("cardex.sqlite").path
            if let population {
                try SQLiteStore.bulkSeed(count, of: population, path: path, now: now)
            }
            let test = TestStore(store: try await SQLiteStore.open(SQLiteStore.Configuration(path: path))) {
                try? FileManager.default.removeItem(at: directory)
            }
            return SchemaStore(test: test) {
                try SQLiteStore.connection(to: path, readonly: true).read { db in
                    try String.fetchAll(
                        db,
                        sql: ["main", "accounts"].map { "SELECT '\($0) ' || type || ' ' || name || ': ' || coalesce(sql, '') FROM \($0).sqlite_master" }
                            .joined(separator: " UNION ALL ") + " ORDER BY 1")
                }
            }
        case .postgres:
            let test = try await ContractPostgres.makeStore { store in
                if let population { try await store.bulkSeed(count, of: population, now: now) }
            }
            let store = try #require(test.store as? PostgresStore)
            return SchemaStore(test: test) {
                try await store.pool.withConnection { connection in
                    let rows = try await connection.query(
                        """
                        SELECT 'table ' || table_name || ': ' || string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position)
                        FROM information_schema.columns WHERE table_schema = 'public' GROUP BY table_name
                        UNION ALL
                        SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
                        UNION ALL
                        SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ': ' || pg_get_constraintdef(oid)
                        FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                        ORDER BY 1
                        """, logger: TestPostgres.logger)
                    var lines: [String] = []
                    for try await line in rows.decode(String.self) { lines.append(line) }
                    return lines
                }
            }
        }
    }
}
