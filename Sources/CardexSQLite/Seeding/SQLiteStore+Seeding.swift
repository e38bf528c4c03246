import CardexCore
import CardexStorage
import Foundation
import GRDB

extension SQLiteStore {
    /// Writes the accounts `indices` of `population` (accounts, cards and address books) straight
    /// into the database in one transaction, for benchmarks and seeding tools: no codes,
    /// sessions, events, notifications or mutual matching are made.
    /// - Returns: the new accounts' ids, in index order.
    public func seedAccounts(_ indices: Range<Int>, of population: SeedPopulation, now: Date) async throws -> [UserID] {
        try await pool.write { db in
            let writer = try SeedWriter(db, now: now)
            return try indices.map { try writer.write($0, of: population) }
        }
    }

    /// Seeds accounts `0..<count` of `population` into new database files at `path` as fast as
    /// SQLite goes (a million accounts with 100-entry books in minutes, not hours), for benchmarks
    /// at scale. The files are created and migrated first; they must not be open elsewhere.
    ///
    /// While it runs there is no journal and no fsync, the address-book phone index is dropped
    /// (rebuilt by one sort at the end) and accounts are written in id order so every primary
    /// key grows at its end. The files end in WAL mode like any other; a crash midway leaves
    /// files to delete.
    /// - Parameter progress: called with the number of accounts written, after each batch.
    public static func bulkSeed(
        _ count: Int, of population: SeedPopulation, path: String, now: Date, progress: (Int) -> Void = { _ in }
    ) throws {
        _ = try SQLiteStore(Configuration(path: path))  // creates and migrates the files, then closes them
        let queue = try connection(to: path)
        let bothFiles = { (pragmas: [String]) in try queue.writeWithoutTransaction { db in for pragma in pragmas { try Schema.set(pragma, on: db) } } }
        try bothFiles(["journal_mode = DELETE"])  // leaving WAL needs a mode that has a journal
        try bothFiles(["journal_mode = OFF", "synchronous = OFF", "cache_size = -1000000"])
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "DROP INDEX book_numbers_by_phone")
            let order = (0..<count).map { (population.userID($0).rawValue, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
            let batch = 10_000
            for start in stride(from: 0, to: count, by: batch) {
                try db.inTransaction {
                    let writer = try SeedWriter(db, now: now)
                    for index in order[start..<min(start + batch, count)] {
                        _ = try writer.write(index, of: population)
                    }
                    return .commit
                }
                progress(min(start + batch, count))
            }
            // The index as migration v2 made it.
            try db.execute(sql: #"CREATE INDEX "book_numbers_by_phone" ON "book_numbers"("phone", "owner_id")"#)
        }
        try bothFiles(["journal_mode = WAL"])
    }

    /// Adds accounts to a group as untagged members, straight into the database (no events).
    public func seedMembers(_ users: [UserID], of groupID: String, now: Date) async throws {
        try await pool.write { db in
            for user in users {
                guard let phone = try String.fetchOne(db, sql: "SELECT phone FROM users WHERE id = ?", arguments: [user.rawValue]) else {
                    continue
                }
                try GroupMemberRecord(
                    groupId: groupID, userId: user.rawValue, phone: phone, role: .member, tag: nil, joinedAt: now
                ).insert(db)
            }
        }
    }
}

/// Writes the rows of seeded accounts (``SeedPopulation/account(_:)``) through cached statements.
private struct SeedWriter {
    private let user: Statement
    private let card: Statement
    private let entry: Statement
    private let number: Statement
    private let now: DatabaseValue

    init(_ db: Database, now: Date) throws {
        user = try db.cachedStatement(
            sql: """
                INSERT INTO users (id, phone, created_at, cloud_address_book, auto_send_card, discoverable_by)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
        card = try db.cachedStatement(
            sql: "INSERT INTO cards (user_id, version, etag, content, updated_at) VALUES (?, 1, ?, ?, ?)")
        entry = try db.cachedStatement(
            sql: "INSERT INTO book_entries (owner_id, client_entry_id, content, updated_at) VALUES (?, ?, ?, ?)")
        number = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO book_numbers (owner_id, client_entry_id, phone) VALUES (?, ?, ?)")
        self.now = now.databaseValue
    }

    /// Writes account `index` of `population`: the account, its card and its book.
    func write(_ index: Int, of population: SeedPopulation) throws -> UserID {
        let account = population.account(index)
        let id = account.userID.rawValue
        let settings = SeedPopulation.settings
        try user.execute(
            arguments: [id, account.phone, now, settings.cloudAddressBook, settings.autoSendCard, settings.discoverableBy.rawValue])
        try card.execute(arguments: [id, account.etag, StoredCardCodec.encode(account.card), now])
        for stored in account.book {
            try entry.execute(arguments: [id, stored.clientEntryID, stored.storedJSON, now])
            for matchable in stored.numbers {
                try number.execute(arguments: [id, stored.clientEntryID, matchable.e164])
            }
        }
        return account.userID
    }
}
