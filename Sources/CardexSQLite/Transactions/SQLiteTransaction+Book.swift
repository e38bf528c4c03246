import CardexCore
import Foundation
import GRDB

extension SQLiteTransaction {
    func bookEntry(_ id: String, of owner: UserID) async throws -> BookEntry? {
        let key = [BookEntryRecord.Columns.ownerID.name: owner.rawValue, BookEntryRecord.Columns.clientEntryID.name: id]
        return try BookEntryRecord.fetchOne(db, key: key)?.content
    }

    func bookEntries(of owner: UserID, after: String?, limit: Int) async throws -> [BookEntry] {
        // Only the content, decoded by one decoder: a whole record's Codable row decoding (and its
        // date) was half the time of listing a book.
        let decoder = JSONDecoder()
        let contents = try String.fetchCursor(
            db, sql: "SELECT content FROM book_entries WHERE owner_id = ? AND client_entry_id > ? ORDER BY client_entry_id LIMIT ?",
            arguments: [owner.rawValue, after ?? "", limit])
        var entries: [BookEntry] = []
        while let content = try contents.next() {
            entries.append(try decoder.decode(BookEntry.self, from: Data(content.utf8)))
        }
        return entries
    }

    func bookNumbers(of owner: UserID) async throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT DISTINCT phone FROM book_numbers WHERE owner_id = ?", arguments: [owner.rawValue]))
    }

    func peopleWhoseBooksHoldEachOther(with user: UserID) async throws -> Set<UserID> {
        Set(
            try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT u.id FROM book_numbers mine JOIN users u ON u.phone = mine.phone
                    WHERE mine.owner_id = ?1 AND u.id != ?1
                      AND EXISTS (SELECT 1 FROM book_numbers theirs JOIN users me ON me.id = ?1
                                  WHERE theirs.owner_id = u.id AND theirs.phone = me.phone)
                    """,
                arguments: [user.rawValue]
            ).map(UserID.init(rawValue:)))
    }

    func putBookEntry(_ entry: BookEntry, of owner: UserID, at time: Date, keepingLog kept: Int) async throws {
        try removeEntry(entry.clientEntryID, of: owner)
        try insertBookEntry(entry, content: entry.storedJSON, of: owner, now: time.databaseValue)
        try logBookWrite(of: [entry.clientEntryID], owner: owner, keeping: kept)
    }

    func applyBookChanges(
        of owner: UserID, upserts: [BookEntry], removals: [String], replace: Bool, at time: Date, keepingLog kept: Int
    ) async throws -> BookChanges {
        // The stored entries' JSON by id, read once: an upload compares thousands of entries.
        var stored: [String: String] = [:]
        let rows = try Row.fetchCursor(
            db, sql: "SELECT client_entry_id, content FROM book_entries WHERE owner_id = ?", arguments: [owner.rawValue])
        while let row = try rows.next() {
            stored[row[0]] = row[1]
        }
        let plan = BookChangePlan(stored: stored, upserts: upserts, removals: removals, replace: replace)
        for id in plan.deletions { try removeEntry(id, of: owner) }
        // Inserted at random places in the index by number: read its pages ahead, in parallel.
        prefetcher?.warm(plan.insertions.flatMap { entry, _ in entry.numbers.map(\.e164) })
        let stamp = time.databaseValue  // formatted once, not per row
        for (entry, content) in plan.insertions { try insertBookEntry(entry, content: content, of: owner, now: stamp) }
        try logBookWrite(of: plan.loggedIDs, owner: owner, keeping: kept)
        return plan.changes
    }

    func addMutualContact(_ user: UserID, _ other: UserID, since time: Date) async throws {
        for (a, b) in [(user, other), (other, user)] {
            try db.execute(
                sql: "INSERT OR IGNORE INTO mutual_contacts (user_id, contact_id, since) VALUES (?, ?, ?)",
                arguments: [a.rawValue, b.rawValue, time])
        }
    }

    func removeMutualContact(_ user: UserID, _ other: UserID) async throws {
        try db.execute(
            sql: "DELETE FROM mutual_contacts WHERE (user_id = ?1 AND contact_id = ?2) OR (user_id = ?2 AND contact_id = ?1)",
            arguments: [user.rawValue, other.rawValue])
    }

    private func insertBookEntry(_ entry: BookEntry, content: String, of owner: UserID, now: DatabaseValue) throws {
        try db.cachedStatement(sql: "INSERT INTO book_entries (owner_id, client_entry_id, content, updated_at) VALUES (?, ?, ?, ?)")
            .execute(arguments: [owner.rawValue, entry.clientEntryID, content, now])
        let number = try db.cachedStatement(sql: "INSERT OR IGNORE INTO book_numbers (owner_id, client_entry_id, phone) VALUES (?, ?, ?)")
        for phone in entry.numbers {
            try number.execute(arguments: [owner.rawValue, entry.clientEntryID, phone.e164])
        }
    }

    private func removeEntry(_ id: String, of owner: UserID) throws {
        try db.cachedStatement(sql: "DELETE FROM book_numbers WHERE owner_id = ? AND client_entry_id = ?")
            .execute(arguments: [owner.rawValue, id])
        try db.cachedStatement(sql: "DELETE FROM book_entries WHERE owner_id = ? AND client_entry_id = ?")
            .execute(arguments: [owner.rawValue, id])
    }
}
