import CardexServer
import GRDB

/// Reads the server's database directly, to check what is (not) stored.
struct StoreInspector {
    let queue: DatabaseQueue

    init(_ server: CardexTestServer) throws {
        var configuration = Configuration()
        configuration.readonly = true
        queue = try DatabaseQueue(path: server.configuration.databasePath, configuration: configuration)
    }

    func rowCount(_ table: String) throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    /// Tables (other than GRDB's own) with a row containing `text`'s UTF-8 in any column.
    func tablesMentioning(_ text: String) throws -> [String] {
        try queue.read { db in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'")
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
    }

    /// The body of every outbox message not yet delivered nor given up, as stored, oldest first.
    func pendingOutboxBodies() throws -> [String] {
        try queue.read { db in
            try String.fetchAll(db, sql: "SELECT body FROM outbox WHERE next_attempt_at IS NOT NULL ORDER BY id")
        }
    }

    /// The kinds of the outbox messages queued for `phone`, oldest first.
    func outboxKinds(to phone: String) throws -> [String] {
        try queue.read { db in
            try String.fetchAll(db, sql: "SELECT kind FROM outbox WHERE recipient = ? ORDER BY id", arguments: [phone])
        }
    }
}
