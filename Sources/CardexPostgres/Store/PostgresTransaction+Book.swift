import CardexCore
import Foundation
import PostgresNIO

extension PostgresTransaction {
    func bookEntry(_ id: String, of owner: UserID) async throws -> BookEntry? {
        try await value("SELECT content FROM book_entries WHERE owner_id = \(owner.rawValue) AND client_entry_id = \(id)", as: String.self)
            .map { try StoredJSON.decode(BookEntry.self, from: $0) }
    }

    func bookEntries(of owner: UserID, after: String?, limit: Int) async throws -> [BookEntry] {
        try await rows(
            """
            SELECT content FROM book_entries WHERE owner_id = \(owner.rawValue) AND client_entry_id > \(after ?? "")
            ORDER BY client_entry_id LIMIT \(limit)
            """
        ).map { try StoredJSON.decode(BookEntry.self, from: try $0.decode(String.self)) }
    }

    func bookNumbers(of owner: UserID) async throws -> Set<String> {
        Set(try await rows("SELECT DISTINCT phone FROM book_numbers WHERE owner_id = \(owner.rawValue)").map { try $0.decode(String.self) })
    }

    func peopleWhoseBooksHoldEachOther(with user: UserID) async throws -> Set<UserID> {
        Set(
            try await rows(
                """
                SELECT DISTINCT u.id FROM book_numbers mine JOIN users u ON u.phone = mine.phone
                WHERE mine.owner_id = \(user.rawValue) AND u.id != \(user.rawValue)
                  AND EXISTS (SELECT 1 FROM book_numbers theirs JOIN users me ON me.id = \(user.rawValue)
                              WHERE theirs.owner_id = u.id AND theirs.phone = me.phone)
                """
            ).map { UserID(rawValue: try $0.decode(String.self)) })
    }

    func putBookEntry(_ entry: BookEntry, of owner: UserID, at time: Date, keepingLog kept: Int) async throws {
        try await removeEntries([entry.clientEntryID], of: owner)
        try await insertEntries([(entry, entry.storedJSON)], of: owner, at: time)
        try await logBookWrite(of: [entry.clientEntryID], owner: owner, keeping: kept)
    }

    func applyBookChanges(
        of owner: UserID, upserts: [BookEntry], removals: [String], replace: Bool, at time: Date, keepingLog kept: Int
    ) async throws -> BookChanges {
        // The stored entries' JSON by id, read once: an upload compares thousands of entries.
        var stored: [String: String] = [:]
        for row in try await rows("SELECT client_entry_id, content FROM book_entries WHERE owner_id = \(owner.rawValue)") {
            let (id, content) = try row.decode((String, String).self)
            stored[id] = content
        }
        let plan = BookChangePlan(stored: stored, upserts: upserts, removals: removals, replace: replace)
        try await removeEntries(plan.deletions, of: owner)
        try await insertEntries(plan.insertions, of: owner, at: time)
        try await logBookWrite(of: plan.loggedIDs, owner: owner, keeping: kept)
        return plan.changes
    }

    func addMutualContact(_ user: UserID, _ other: UserID, since time: Date) async throws {
        try await execute(
            """
            INSERT INTO mutual_contacts (user_id, contact_id, since)
            VALUES (\(user.rawValue), \(other.rawValue), \(time)), (\(other.rawValue), \(user.rawValue), \(time))
            ON CONFLICT (user_id, contact_id) DO NOTHING
            """)
    }

    func removeMutualContact(_ user: UserID, _ other: UserID) async throws {
        try await execute(
            """
            DELETE FROM mutual_contacts
            WHERE (user_id = \(user.rawValue) AND contact_id = \(other.rawValue))
               OR (user_id = \(other.rawValue) AND contact_id = \(user.rawValue))
            """)
    }

    /// Deletes the owner's entries `ids` with their numbers: one statement, whatever the count.
    private func removeEntries(_ ids: [String], of owner: UserID) async throws {
        guard !ids.isEmpty else { return }
        try await execute(
            """
            WITH numbers AS (
                DELETE FROM book_numbers WHERE owner_id = \(owner.rawValue) AND client_entry_id = ANY(\(ids)::text[])
            )
            DELETE FROM book_entries WHERE owner_id = \(owner.rawValue) AND client_entry_id = ANY(\(ids)::text[])
            """)
    }

    /// Inserts `entries` (each with its ``BookEntry/storedJSON``) and their matchable numbers: one statement
    /// with arrays, whatever the count (an upload writes thousands of rows).
    private func insertEntries(_ entries: [(entry: BookEntry, content: String)], of owner: UserID, at time: Date) async throws {
        guard !entries.isEmpty else { return }
        let ids = entries.map(\.entry.clientEntryID)
        let contents = entries.map(\.content)
        var numberIDs: [String] = []
        var numbers: [String] = []
        for (entry, _) in entries {
            for number in entry.numbers {
                numberIDs.append(entry.clientEntryID)
                numbers.append(number.e164)
            }
        }
        try await execute(
            """
            WITH numbers AS (
                INSERT INTO book_numbers (owner_id, client_entry_id, phone)
                SELECT \(owner.rawValue), id, phone FROM UNNEST(\(numberIDs)::text[], \(numbers)::text[]) AS n (id, phone)
                ON CONFLICT DO NOTHING
            )
            INSERT INTO book_entries (owner_id, client_entry_id, content, updated_at)
            SELECT \(owner.rawValue), id, content, \(time)::timestamptz FROM UNNEST(\(ids)::text[], \(contents)::text[]) AS e (id, content)
            """)
    }
}
