import CardexCore
import Foundation
import GRDB
import Testing

@testable import CardexSQLite

/// Migration v8: everything but the address books moves to the accounts file.
@Suite("Accounts moved apart from the address books")
struct AccountsFileMigrationTests {
    static let ada = UserID(rawValue: "0f5e1d52-3c71-4d8e-9a0b-6f1c2d3e4a5b")
    static let bob = UserID(rawValue: "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
    static let saved = Date(timeIntervalSince1970: 1_790_000_000)

    /// A v7 database, one file as before: Ada and Bob with sessions, Ada's book (entries, numbers,
    /// change log), and three outbox messages of which the last was deleted.
    static func makeV7Database(at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v7: the address books' change log")
        try queue.write { db in
            for (user, phone) in [(ada, "+15550001111"), (bob, "+15550002222")] {
                try db.execute(
                    sql: "INSERT INTO users (id, phone, created_at, cloud_address_book, auto_send_card, discoverable_by) VALUES (?, ?, ?, 1, 0, 'everyone')",
                    arguments: [user.rawValue, phone, saved])
                try db.execute(
                    sql: "INSERT INTO sessions (id, user_id, token_hash, device_name, created_at, last_used_at) VALUES (?, ?, ?, 'phone', ?, ?)",
                    arguments: ["s-" + phone, user.rawValue, Data(phone.utf8), saved, saved])
            }
            for entry in ["e1", "e2"] {
                try db.execute(
                    sql: "INSERT INTO book_entries (owner_id, client_entry_id, content, updated_at) VALUES (?, ?, '{}', ?)",
                    arguments: [ada.rawValue, entry, saved])
                try db.execute(
                    sql: "INSERT INTO book_numbers (owner_id, client_entry_id, phone) VALUES (?, ?, '+15550002222')", arguments: [ada.rawValue, entry])
                try db.execute(sql: "INSERT INTO book_log (owner_id, client_entry_id, revision) VALUES (?, ?, 1)", arguments: [ada.rawValue, entry])
            }
            try db.execute(sql: "INSERT INTO book_revisions (owner_id, latest, horizon, logged) VALUES (?, 1, 0, 2)", arguments: [ada.rawValue])
            for recipient in ["+15550001111", "+15550001111", "+15550002222"] {
                try db.execute(
                    sql: "INSERT INTO outbox (kind, recipient, body, created_at, attempts) VALUES ('code', ?, 'x', ?, 0)", arguments: [recipient, saved])
            }
            try db.execute(sql: "DELETE FROM outbox WHERE id = 3")
        }
        try queue.close()
    }

    static func temporaryPath() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cardex-v8-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("cardex.sqlite").path
    }

    static func tables(in schema: String, _ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT name FROM \(schema).sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
    }

    @Test("the books stay, every other table moves with its rows, indexes and counters, and an erased account's book goes with it")
    func movesAccounts() async throws {
        let path = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        try Self.makeV7Database(at: path)
        let before = try await DatabaseQueue(path: path).read { db in try Self.tables(in: "main", db) }

        let store = try await SQLiteStore.open(SQLiteStore.Configuration(path: path))
        let connection = try SQLiteStore.connection(to: path)
        let (main, accounts, sessions, numbers, indexes, outboxSequence, bookSQL, integrity) = try await connection.read { db in
            (
                try Self.tables(in: "main", db), try Self.tables(in: "accounts", db),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accounts.sessions"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM main.book_numbers"),
                Set(try String.fetchAll(db, sql: "SELECT name FROM accounts.sqlite_schema WHERE type = 'index' AND sql IS NOT NULL")),
                try Int.fetchOne(db, sql: "SELECT seq FROM accounts.sqlite_sequence WHERE name = 'outbox'"),
                try String.fetchAll(db, sql: "SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND name LIKE 'book_%'"),
                try String.fetchAll(db, sql: "PRAGMA integrity_check")
            )
        }
        #expect(main == Schema.bookTables.union(["grdb_migrations"]))
        #expect(accounts == before.subtracting(Schema.bookTables).subtracting(["grdb_migrations"]))
        #expect(sessions == 2 && numbers == 2)
        #expect(indexes.isSuperset(of: ["outbox_due", "shares_by_owner", "sessions_on_user_id"]))
        #expect(outboxSequence == 3)
        #expect(bookSQL.count == 4 && bookSQL.allSatisfy { !$0.contains("REFERENCES") })
        #expect(integrity == ["ok"])
        // The deleted message's id is not given again.
        let newID = try await connection.write { db in
            try db.execute(
                sql: "INSERT INTO outbox (kind, recipient, body, created_at, attempts) VALUES ('code', '+15550001111', 'y', ?, 0)", arguments: [Self.saved])
            return db.lastInsertedRowID
        }
        #expect(newID == 4)
        #expect(try await store.read { try await $0.session(tokenHash: Data("+15550001111".utf8)) }?.userID == Self.ada)

        try await store.write { try await $0.eraseAccount(Self.ada, phones: [PhoneNumber(e164: "+15550001111")]) }
        let (bookRows, sessionsLeft) = try await connection.read { db in
            (
                try Schema.bookTables.map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM main.\($0)") ?? -1 },
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accounts.sessions")
            )
        }
        #expect(bookRows.allSatisfy { $0 == 0 }, "the book tables still hold \(bookRows) rows")
        #expect(sessionsLeft == 1)
    }

    @Test("a damaged row stops it and leaves both files as they were")
    func failsWhole() async throws {
        let path = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        try Self.makeV7Database(at: path)
        // A damaged row: a session of no account, written with foreign keys off. It is found at
        // the end, when everything has been copied and dropped.
        try await DatabaseQueue(path: path).writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.execute(
                sql: "INSERT INTO sessions (id, user_id, token_hash, device_name, created_at, last_used_at) VALUES ('s0', 'nobody', x'00', 'x', ?, ?)",
                arguments: [Self.saved, Self.saved])
        }

        await #expect {
            _ = try await SQLiteStore.open(SQLiteStore.Configuration(path: path))
        } throws: { error in
            "\(error)".contains("FOREIGN KEY")
        }
        let (accounts, main, sessions, applied, journal) = try await SQLiteStore.connection(to: path).read { db in
            (
                try Self.tables(in: "accounts", db), try Self.tables(in: "main", db),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM main.sessions"), try Schema.migrator.appliedIdentifiers(db),
                try String.fetchOne(db, sql: "PRAGMA main.journal_mode")
            )
        }
        #expect(accounts.isEmpty)
        #expect(main.isSuperset(of: ["users", "sessions", "outbox", "book_entries"]))
        #expect(sessions == 3)
        #expect(!applied.contains("v8: accounts apart from the address books"))
        #expect(journal == "wal")
    }
}
