import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Writes synthetic accounts with cards straight into the database, in one transaction, for
    /// benchmarks and seeding tools: no codes, sessions, events or notifications are made.
    /// Phones are `phonePrefix` followed by the index padded to `digits` digits; ids are derived
    /// from the phone, so the same arguments give the same data.
    /// - Returns: the new accounts' ids, in index order.
    public func seedAccounts(
        _ indices: Range<Int>, phonePrefix: String, digits: Int, card: @escaping @Sendable (Int) -> Card, now: Date
    ) async throws -> [UserID] {
        try await pool.write { db in
            var ids: [UserID] = []
            let encoder = JSONEncoder()
            for index in indices {
                let phone = PhoneNumber(e164: phonePrefix + String(format: "%0\(digits)d", index))
                let id = UserID.derived(from: phone.e164)
                try UserRecord(Account(userID: id, phone: phone, createdAt: now, settings: AccountSettings())).insert(db)
                let content = card(index)
                try db.execute(
                    sql: "INSERT INTO cards (user_id, version, etag, content, updated_at) VALUES (?, 1, ?, ?, ?)",
                    arguments: [id.rawValue, ETag.ofCard(content), String(decoding: try encoder.encode(content), as: UTF8.self), now])
                ids.append(id)
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
