import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    public func bookEntries(of owner: UserID, after: String?, limit: Int) async throws -> [BookEntry] {
        try await pool.read { db in
            try BookEntryRecord.filter(BookEntryRecord.Columns.ownerID == owner.rawValue)
                .filter(BookEntryRecord.Columns.clientEntryID > (after ?? ""))
                .order(BookEntryRecord.Columns.clientEntryID)
                .limit(limit)
                .fetchAll(db).map(\.content)
        }
    }

    public func updateBook(
        of owner: UserID, upserts: [BookEntry], removals: [String], replace: Bool, limits: BookLimits, presence: any Presence,
        sharing: SharingPolicy, now: Date
    ) async throws -> BookUpdate {
        try await writeWithEvents(now: now) { db, log in
            guard let account = try UserRecord.fetchOne(db, key: owner.rawValue)?.account else {
                throw CardexError.notFound("the account no longer exists")
            }
            // Only exchange needs to know which numbers are new to the book.
            let numbersBefore =
                account.settings.autoSendCard
                ? Set(try String.fetchAll(db, sql: "SELECT DISTINCT phone FROM book_numbers WHERE owner_id = ?", arguments: [owner.rawValue]))
                : []
            var result = BookUpdate()
            // The stored entries' JSON by id, read once: an upload compares thousands of entries.
            var stored: [String: String] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT client_entry_id, content FROM book_entries WHERE owner_id = ?", arguments: [owner.rawValue])
            while let row = try rows.next() {
                stored[row[0]] = row[1]
            }
            var removing = removals
            if replace {
                let kept = Set(upserts.map(\.clientEntryID))
                removing += stored.keys.filter { !kept.contains($0) }
            }
            for id in removing where stored.removeValue(forKey: id) != nil {
                try Self.removeEntry(id, of: owner, db)
                result.removed += 1
            }
            let stamp = now.databaseValue  // formatted once, not per row
            for entry in upserts {
                let content = entry.storedJSON
                switch stored[entry.clientEntryID] {
                case content?:
                    result.unchanged += 1
                    continue
                case nil:
                    result.added += 1
                case _?:
                    result.changed += 1
                    try Self.removeEntry(entry.clientEntryID, of: owner, db)
                }
                stored[entry.clientEntryID] = content
                try Self.insertBookEntry(entry, content: content, of: owner, now: stamp, db)
            }
            let size = try BookEntryRecord.filter(BookEntryRecord.Columns.ownerID == owner.rawValue).fetchCount(db)
            guard size <= limits.maxEntries else {
                throw CardexError.resourceExhausted(
                    "an address book holds at most \(limits.maxEntries) entries; this update would make \(size)", retryAfterSeconds: 0)
            }
            // A retried upload changes nothing, so there is nothing to match again.
            guard result.added + result.changed + result.removed > 0 else { return result }
            try Self.matchMutualContacts(of: owner, log: &log, db)
            guard account.settings.autoSendCard else { return result }
            // Exchange (patent CN103067478A claim 5): numbers new to the book receive my card.
            let added = upserts.flatMap(\.numbers).filter { !numbersBefore.contains($0.e164) && $0 != account.phone }
            var exchange = Sharing(db: db, sender: account, fields: .all, policy: sharing, presence: presence, now: now)
            for number in Set(added).sorted(by: { $0.e164 < $1.e164 }) where try exchange.shareIfNew(with: number, log: &log) {
                result.cardSentTo.append(number)
            }
            return result
        }
    }

    /// Stores `entry`, replacing one with the same client id, with its matchable numbers.
    static func putBookEntry(_ entry: BookEntry, of owner: UserID, now: Date, _ db: Database) throws {
        try removeEntry(entry.clientEntryID, of: owner, db)
        try insertBookEntry(entry, content: entry.storedJSON, of: owner, now: now.databaseValue, db)
    }

    private static func insertBookEntry(
        _ entry: BookEntry, content: String, of owner: UserID, now: DatabaseValue, _ db: Database
    ) throws {
        try db.cachedStatement(sql: "INSERT INTO book_entries (owner_id, client_entry_id, content, updated_at) VALUES (?, ?, ?, ?)")
            .execute(arguments: [owner.rawValue, entry.clientEntryID, content, now])
        let number = try db.cachedStatement(sql: "INSERT OR IGNORE INTO book_numbers (owner_id, client_entry_id, phone) VALUES (?, ?, ?)")
        for phone in entry.numbers {
            try number.execute(arguments: [owner.rawValue, entry.clientEntryID, phone.e164])
        }
    }

    private static func removeEntry(_ id: String, of owner: UserID, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM book_numbers WHERE owner_id = ? AND client_entry_id = ?")
            .execute(arguments: [owner.rawValue, id])
        try db.cachedStatement(sql: "DELETE FROM book_entries WHERE owner_id = ? AND client_entry_id = ?")
            .execute(arguments: [owner.rawValue, id])
    }
}
