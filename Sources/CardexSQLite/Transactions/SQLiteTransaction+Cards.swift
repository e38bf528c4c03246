import CardexCore
import Foundation
import GRDB

extension SQLiteTransaction {
    func accountExists(_ user: UserID) async throws -> Bool {
        try UserRecord.exists(db, key: user.rawValue)
    }

    func currentCard(of user: UserID) async throws -> StoredCard? {
        let statement = try db.cachedStatement(sql: "SELECT version, etag, content, updated_at FROM cards WHERE user_id = ?")
        return try Row.fetchOne(statement, arguments: [user.rawValue]).map { try Self.storedCard($0, from: 0, currentOf: user) }
    }

    func previousCards(of user: UserID) async throws -> [StoredCard] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT version, etag, content, updated_at FROM card_history WHERE user_id = ? ORDER BY version DESC"),
            arguments: [user.rawValue]
        ).map { try Self.storedCard($0, from: 0, currentOf: nil) }
    }

    func saveCard(_ card: StoredCard, of user: UserID, historyLimit: Int) async throws {
        try db.execute(
            sql: """
                INSERT INTO card_history (user_id, version, etag, content, updated_at)
                SELECT user_id, version, etag, content, updated_at FROM cards WHERE user_id = ?
                """,
            arguments: [user.rawValue])
        try db.execute(
            sql: "DELETE FROM card_history WHERE user_id = ? AND version < ?",
            arguments: [user.rawValue, Int64(card.version) - Int64(historyLimit)])
        let record = CardRecord(
            userId: user.rawValue, version: Int64(card.version), etag: card.etag, content: card.card, updatedAt: card.updatedAt)
        try record.save(db)
    }

    func recordFormerPhones(_ phones: [String], of user: UserID, at time: Date) async throws {
        for phone in phones {
            try db.execute(
                sql: "INSERT OR REPLACE INTO former_phones (phone, user_id, until) VALUES (?, ?, ?)",
                arguments: [phone, user.rawValue, time])
        }
    }

    /// The card in `row`'s columns version, etag, content, updated_at, starting at `column`:
    /// the current card of `owner` (decoded through ``CardCache``), or an earlier version when
    /// `owner` is nil.
    static func storedCard(_ row: Row, from column: Int, currentOf owner: UserID?) throws -> StoredCard {
        let etag: String = row[column + 1]
        let card = try row.withUnsafeData(atIndex: column + 2) { content in
            if let owner {
                return try CardCache.shared.card(of: owner, etag: etag) { try CardRecord.card(from: content) }
            }
            return try CardRecord.card(from: content)
        }
        return StoredCard(card: card, version: UInt64(row[column] as Int64), etag: etag, updatedAt: row[column + 3])
    }
}
