import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    public func card(of user: UserID) async throws -> StoredCard? {
        try await pool.read { db in try Self.currentCard(of: user, db) }
    }

    public func relation(of reader: UserID, to owner: UserID) async throws -> Relation {
        try await pool.read { db in try Self.relation(of: reader, to: owner, db) }
    }

    /// Numbers a person no longer has, for finding them by an old number.
    static func recordFormerPhones(_ phones: [String], of user: UserID, now: Date, _ db: Database) throws {
        for phone in phones {
            try db.execute(
                sql: "INSERT OR REPLACE INTO former_phones (phone, user_id, until) VALUES (?, ?, ?)",
                arguments: [phone, user.rawValue, now])
        }
    }
}
