import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Writes synthetic accounts with cards and address books straight into the database, in one
    /// transaction, for benchmarks and seeding tools: no codes, sessions, events, notifications
    /// or mutual matching are made.
    /// Phones are `phonePrefix` followed by the index padded to `digits` digits; ids are derived
    /// from the phone, so the same arguments give the same data.
    /// - Returns: the new accounts' ids, in index order.
    /// - Parameter book: the numbers in each account's address book (one entry per number).
    public func seedAccounts(
        _ indices: Range<Int>, phonePrefix: String, digits: Int, card: @escaping @Sendable (Int) -> Card,
        book: @escaping @Sendable (Int) -> [String] = { _ in [] }, now: Date
    ) async throws -> [UserID] {
        try await pool.write { db in
            var ids: [UserID] = []
            let cardEncoder = CardRecord.databaseJSONEncoder(for: "content")
            let entryEncoder = BookEntryRecord.databaseJSONEncoder(for: "content")
            let user = try db.cachedStatement(
                sql: """
                    INSERT INTO users (id, phone, created_at, cloud_address_book, auto_send_card, discoverable_by)
                    VALUES (?, ?, ?, 1, 0, 'contacts')
                    """)
            let cardRow = try db.cachedStatement(
                sql: "INSERT INTO cards (user_id, version, etag, content, updated_at) VALUES (?, 1, ?, ?, ?)")
            let entryRow = try db.cachedStatement(
                sql: "INSERT INTO book_entries (owner_id, client_entry_id, content, updated_at) VALUES (?, ?, ?, ?)")
            let numberRow = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO book_numbers (owner_id, client_entry_id, phone) VALUES (?, ?, ?)")
            for index in indices {
                let phone = phonePrefix + String(format: "%0\(digits)d", index)
                let id = UserID.derived(from: phone).rawValue
                try user.execute(arguments: [id, phone, now])
                let content = card(index)
                try cardRow.execute(
                    arguments: [id, ETag.ofCard(content), String(decoding: try cardEncoder.encode(content), as: UTF8.self), now])
                for (position, number) in book(index).enumerated() {
                    let entry = BookEntry(
                        clientEntryID: String(position), name: "Contact \(position)", phones: [number],
                        numbers: [PhoneNumber(e164: number)])
                    try entryRow.execute(arguments: [id, entry.clientEntryID, String(decoding: try entryEncoder.encode(entry), as: UTF8.self), now])
                    try numberRow.execute(arguments: [id, entry.clientEntryID, number])
                }
                ids.append(UserID(rawValue: id))
            }
            return ids
        }
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
