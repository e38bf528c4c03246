import CardexPostgres
import CardexPostgresTestSupport
import CardexSQLite
import CardexServer
import Foundation
import GRDB
import PostgresNIO

/// Reads the server's database directly, to check what is (not) stored: the SQLite file, or the
/// server's PostgreSQL database.
struct StoreInspector {
    private enum Database {
        case sqlite(DatabaseQueue)
        case postgres(PostgresStoreConfiguration)
    }

    private let database: Database

    init(_ server: CardexTestServer) throws {
        switch server.configuration.database {
        case .embedded:
            database = .sqlite(try SQLiteStore.connection(to: server.configuration.databasePath, readonly: true))
        case .postgres(let configuration):
            database = .postgres(configuration)
        }
    }

    /// The SQLite file, for tests of SQLite itself (``TestDatabase/embeddedOnly``).
    var queue: DatabaseQueue {
        get throws {
            guard case .sqlite(let queue) = database else { throw InspectorError("not an SQLite store") }
            return queue
        }
    }

    func rowCount(_ table: String) async throws -> Int {
        switch database {
        case .sqlite(let queue):
            return try await queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
        case .postgres(let configuration):
            return try await Self.strings(configuration, "SELECT COUNT(*)::text FROM \(table)").first.flatMap { Int($0) } ?? 0
        }
    }

    /// Tables (other than the migrators' own) with a row containing `text`'s UTF-8 in any column.
    func tablesMentioning(_ text: String) async throws -> [String] {
        switch database {
        case .sqlite(let queue):
            return try await queue.read { db in
                let tables = try String.fetchAll(
                    db,
                    sql: ["main", "accounts"].map {
                        "SELECT name FROM \($0).sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'"
                    }.joined(separator: " UNION ALL "))
                return try tables.filter { table in
                    let columns = try db.columns(in: table).map(\.name)
                    // Byte-wise, so BLOBs count too: a stored card's protobuf bytes hold NULs, where a
                    // text comparison (LIKE) would stop.
                    let condition = columns.map { "instr(CAST(\"\($0)\" AS BLOB), CAST(? AS BLOB)) > 0" }.joined(separator: " OR ")
                    return try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM \"\(table)\" WHERE \(condition)",
                        arguments: StatementArguments(Array(repeating: text, count: columns.count))) ?? 0 > 0
                }
            }
        case .postgres(let configuration):
            // Every column as bytes (text as its UTF-8, bytea as itself), searched for the bytes.
            let columns = try await Self.rows(
                configuration,
                """
                SELECT table_name, column_name, data_type FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY table_name
                """)
            var mentioning: [String] = []
            for (table, entries) in Dictionary(grouping: columns, by: { $0[0] }).sorted(by: { $0.key < $1.key }) {
                let needle = "convert_to('\(text.replacingOccurrences(of: "'", with: "''"))', 'UTF8')"
                let condition = entries.map { entry -> String in
                    let bytes = entry[2] == "bytea" ? "\"\(entry[1])\"" : "convert_to(\"\(entry[1])\"::text, 'UTF8')"
                    return "position(\(needle) in \(bytes)) > 0"
                }.joined(separator: " OR ")
                let count = try await Self.strings(configuration, "SELECT COUNT(*)::text FROM \"\(table)\" WHERE \(condition)")
                if count.first != "0" { mentioning.append(table) }
            }
            return mentioning
        }
    }

    /// The body of every outbox message not yet delivered nor given up, as stored, oldest first.
    func pendingOutboxBodies() async throws -> [String] {
        let sql = "SELECT body FROM outbox WHERE next_attempt_at IS NOT NULL ORDER BY id"
        switch database {
        case .sqlite(let queue):
            return try await queue.read { db in try String.fetchAll(db, sql: sql) }
        case .postgres(let configuration):
            return try await Self.strings(configuration, sql)
        }
    }

    /// With PostgreSQL, when the test knows where the cluster keeps its files
    /// (``TestPostgres/Server/dataDirectory``): the files of this database and the cluster's WAL
    /// segments written since `since`, with their contents. Nil otherwise.
    func postgresFiles(since: Date) async throws -> [(path: String, contents: Data)]? {
        guard case .postgres(let configuration) = database, let data = try await TestPostgres.current().dataDirectory else { return nil }
        let oid = try await Self.strings(configuration, "SELECT oid::text FROM pg_database WHERE datname = current_database()")[0]
        // The cluster renames a WAL segment it recycles (other tests' DROP DATABASE forces
        // checkpoints), so a file listed can be gone when read: list and read again.
        var attempt = 1
        while true {
            do {
                return try Self.files(cluster: data, database: oid, since: since)
            } catch let error as NSError where error.domain == NSCocoaErrorDomain && error.code == CocoaError.fileReadNoSuchFile.rawValue && attempt < 5 {
                attempt += 1
            }
        }
    }

    private static func files(cluster data: String, database oid: String, since: Date) throws -> [(path: String, contents: Data)] {
        let wal = URL(fileURLWithPath: data).appendingPathComponent("pg_wal")
        // Segments written since `since` (not `archive_status/`, a directory whose date changes
        // when a cluster starts or a segment is archived).
        let keys: Set<URLResourceKey> = [.contentModificationDateKey, .isRegularFileKey]
        let segments = try FileManager.default.contentsOfDirectory(at: wal, includingPropertiesForKeys: Array(keys)).filter { url in
            guard let values = try? url.resourceValues(forKeys: keys), values.isRegularFile == true,
                let modified = values.contentModificationDate
            else { return false }
            return modified >= since.addingTimeInterval(-1)
        }
        let database = try DataFilesTests.files(in: URL(fileURLWithPath: data).appendingPathComponent("base/\(oid)").path)
        return database + (try segments.map { ($0.path, try Data(contentsOf: $0)) })
    }

    /// The kinds of the outbox messages queued for `phone`, oldest first.
    func outboxKinds(to phone: String) async throws -> [String] {
        switch database {
        case .sqlite(let queue):
            return try await queue.read { db in
                try String.fetchAll(db, sql: "SELECT kind FROM outbox WHERE recipient = ? ORDER BY id", arguments: [phone])
            }
        case .postgres(let configuration):
            return try await Self.strings(
                configuration, "SELECT kind FROM outbox WHERE recipient = '\(phone.replacingOccurrences(of: "'", with: "''"))' ORDER BY id")
        }
    }

    /// Renames `table`, as a damaged or foreign schema would look to the server: its next
    /// statement on the table fails.
    func renameTable(_ table: String, to name: String) async throws {
        switch database {
        case .sqlite(let queue):
            // A connection of its own: the inspector's reads are read-only.
            try await SQLiteStore.connection(to: queue.path).write { db in try db.execute(sql: "ALTER TABLE \(table) RENAME TO \(name)") }
        case .postgres(let configuration):
            _ = try await Self.rows(configuration, "ALTER TABLE \(table) RENAME TO \(name)")
        }
    }

    /// The first column of each row of `sql`, as text.
    private static func strings(_ configuration: PostgresStoreConfiguration, _ sql: String) async throws -> [String] {
        try await rows(configuration, sql).map { $0[0] }
    }

    /// Each row of `sql` (a query the test wrote: no input from outside), its columns as text.
    private static func rows(_ configuration: PostgresStoreConfiguration, _ sql: String) async throws -> [[String]] {
        do {
            return try await TestPostgres.withPool(configuration) { pool in
                try await pool.withConnection { connection in
                    var rows: [[String]] = []
                    for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestPostgres.logger) {
                        rows.append(try row.map { try $0.decode(String.self) })
                    }
                    return rows
                }
            }
        } catch {
            throw InspectorError("\(sql): \(String(reflecting: error))")
        }
    }

    struct InspectorError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
