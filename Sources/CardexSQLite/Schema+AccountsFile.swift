import Foundation
import GRDB

/// Migration v8: everything but the address books moves to the accounts file, attached to every
/// connection as `accounts` (see ``SQLiteStore/Configuration/accountsPath``).
///
/// The address books are nearly all of a large database (100 entries a person are about 99 % of
/// its pages), and a lookup reads none of them: with everything in one file, the pages it does
/// read (accounts, cards, shares, groups) were scattered among cold book pages, so no cache could
/// keep them together. The books stay in the file they were in, which stays the connection's
/// `main`; the migration copies the other tables (the small part) to the new file and drops them
/// here, so on a large database it costs what the accounts weigh, not the books.
///
/// Frozen, like every migration: it moves the tables the schema had up to v7, read from this
/// database's own `sqlite_schema` (their SQL, indexes and autoincrement counters unchanged), and
/// fails on anything it does not know how to move (a view or a trigger).
extension Schema {
    /// The tables that stay in `main`: the address books and their change log.
    static let bookTables: Set<String> = ["book_entries", "book_numbers", "book_log", "book_revisions"]

    /// The schema name of the accounts file on every connection.
    static let accounts = "accounts"

    /// Both files' schema names on every connection: the books' and the accounts'.
    static let files = ["main", accounts]

    /// Sets `pragma` (`name = value`) on both files, the books' first.
    static func set(_ pragma: String, on db: Database) throws {
        for file in files { try db.execute(sql: "PRAGMA \(file).\(pragma)") }
    }

    static func moveAccountsApart(_ db: Database) throws {
        let objects = try Row.fetchAll(
            db, sql: "SELECT type, name, tbl_name, sql FROM main.sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY rowid")
        if let other = objects.first(where: { !["table", "index"].contains(kind(of: $0)) }) {
            throw DatabaseError(message: "migration v8 cannot move the \(other["type"] as String) \(other["name"] as String)")
        }
        let moving = objects.filter { row in
            let table: String = row["tbl_name"]
            return !bookTables.contains(table) && table != "grdb_migrations"
        }
        let tables = moving.filter { kind(of: $0) == "table" }.map { $0["name"] as String }
        for row in moving where kind(of: row) == "table" {
            try db.execute(sql: try qualified(row["sql"], name: row["name"]))
            try db.execute(sql: "INSERT INTO \(accounts).\(quoted(row["name"])) SELECT * FROM main.\(quoted(row["name"]))")
        }
        // Indexes after the rows: one sort each instead of inserts in key order.
        for row in moving where kind(of: row) == "index" {
            guard let sql: String = row["sql"] else { continue }  // a key's own index, made with its table
            try db.execute(sql: try qualified(sql, name: row["name"]))
        }
        // Autoincrement counters as they were, so no id of a deleted row is given again (an
        // outbox id is a webhook's idempotency key).
        if try db.tableExists("sqlite_sequence", in: accounts) {
            try db.execute(sql: "DELETE FROM \(accounts).sqlite_sequence")
            try db.execute(sql: "INSERT INTO \(accounts).sqlite_sequence SELECT name, seq FROM main.sqlite_sequence")
        }
        for table in tables.reversed() {
            try db.execute(sql: "DROP TABLE main.\(quoted(table))")
        }
        try dropForeignKeys(ofTables: bookTables, db)
        for table in tables {
            try db.checkForeignKeys(in: table, in: accounts)
        }
    }

    /// A `sqlite_schema` row's type: `table`, `index`, `view` or `trigger`.
    private static func kind(of row: Row) -> String { row["type"] }

    /// `sql`, a `CREATE TABLE` or `CREATE [UNIQUE] INDEX` statement of `name` as `sqlite_schema`
    /// keeps it (SQLite writes the keywords with one space before the name), creating it in the
    /// accounts file instead.
    private static func qualified(_ sql: String, name: String) throws -> String {
        for kind in ["CREATE TABLE ", "CREATE INDEX ", "CREATE UNIQUE INDEX "] where sql.hasPrefix(kind) {
            return kind + "\(accounts)." + sql.dropFirst(kind.count)
        }
        throw DatabaseError(message: "migration v8 cannot read the definition of \(name): \(sql.prefix(80))")
    }

    private static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Removes the book tables' `REFERENCES "users"("id") ON DELETE CASCADE`: SQLite resolves a
    /// foreign key within its table's own file, where `users` no longer is. Done as SQLite
    /// documents for a change that leaves the stored rows as they are (lang_altertable.html,
    /// "otheralter": the text in `sqlite_schema` edited, the schema version raised), not by
    /// copying a hundred million rows. An account's book is deleted with it by
    /// `SQLiteTransaction.eraseAccount` instead.
    private static func dropForeignKeys(ofTables tables: Set<String>, _ db: Database) throws {
        let reference = #" REFERENCES "users"("id") ON DELETE CASCADE"#
        let version = try Int.fetchOne(db, sql: "PRAGMA main.schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        for table in tables.sorted() {
            guard let sql = try String.fetchOne(db, sql: "SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND name = ?", arguments: [table])
            else { throw DatabaseError(message: "migration v8 found no table \(table)") }
            let stripped = sql.replacingOccurrences(of: reference, with: "")
            guard !stripped.uppercased().contains("REFERENCES") else {
                throw DatabaseError(message: "migration v8 cannot remove the foreign keys of \(table): \(sql.prefix(120))")
            }
            try db.execute(sql: "UPDATE main.sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?", arguments: [stripped, table])
        }
        try db.execute(sql: "PRAGMA main.schema_version = \(version + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
    }
}
