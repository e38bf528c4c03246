import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    public func updateBook(
        of owner: UserID, upserts: [BookEntry], removals: [String], limits: BookLimits, presence: any Presence,
        sharing: SharingPolicy, now: Date
    ) async throws -> BookUpdate {
        try await writeWithEvents(now: now) { db, log in
            guard let account = try UserRecord.fetchOne(db, key: owner.rawValue)?.account else {
                throw CardexError.notFound("the account no longer exists")
            }
            let numbersBefore = Set(try String.fetchAll(
                db, sql: "SELECT DISTINCT phone FROM book_numbers WHERE owner_id = ?", arguments: [owner.rawValue]))
            var result = BookUpdate()
            for id in removals {
                result.removed += try Self.removeEntry(id, of: owner, db) ? 1 : 0
            }
            for entry in upserts {
                let key = [BookEntryRecord.Columns.ownerID.name: owner.rawValue, BookEntryRecord.Columns.clientEntryID.name: entry.clientEntryID]
                let existing = try BookEntryRecord.fetchOne(db, key: key)
                if existing?.content == entry {
                    result.unchanged += 1
                    continue
                }
                if existing == nil { result.added += 1 } else { result.changed += 1 }
                try Self.putBookEntry(entry, of: owner, now: now, db)
            }
            let size = try BookEntryRecord.filter(BookEntryRecord.Columns.ownerID == owner.rawValue).fetchCount(db)
            guard size <= limits.maxEntries else {
                throw CardexError.resourceExhausted(
                    "an address book holds at most \(limits.maxEntries) entries; this update would make \(size)", retryAfterSeconds: 0)
            }
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
        _ = try removeEntry(entry.clientEntryID, of: owner, db)
        try BookEntryRecord(ownerId: owner.rawValue, clientEntryId: entry.clientEntryID, content: entry, updatedAt: now).insert(db)
        for number in entry.numbers {
            try db.execute(
                sql: "INSERT INTO book_numbers (owner_id, client_entry_id, phone) VALUES (?, ?, ?)",
                arguments: [owner.rawValue, entry.clientEntryID, number.e164])
        }
    }

    private static func removeEntry(_ id: String, of owner: UserID, _ db: Database) throws -> Bool {
        try db.execute(
            sql: "DELETE FROM book_numbers WHERE owner_id = ? AND client_entry_id = ?", arguments: [owner.rawValue, id])
        try db.execute(
            sql: "DELETE FROM book_entries WHERE owner_id = ? AND client_entry_id = ?", arguments: [owner.rawValue, id])
        return db.changesCount > 0
    }
}
