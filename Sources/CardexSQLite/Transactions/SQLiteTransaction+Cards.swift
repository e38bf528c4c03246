import CardexCore
import Foundation
import GRDB

extension SQLiteTransaction {
    func accountExists(_ user: UserID) async throws -> Bool {
        try UserRecord.exists(db, key: user.rawValue)
    }

    func currentCard(of user: UserID) async throws -> StoredCard? {
        try SQLiteStore.currentCard(of: user, db)
    }

    func previousCards(of user: UserID) async throws -> [StoredCard] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT version, etag, content, updated_at FROM card_history WHERE user_id = ? ORDER BY version DESC"),
            arguments: [user.rawValue]
        ).map { try SQLiteStore.storedCard($0, from: 0, currentOf: nil) }
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
        try SQLiteStore.recordFormerPhones(phones, of: user, now: time, db)
    }
}
