import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    public func card(of user: UserID) async throws -> StoredCard? {
        try await pool.read { db in try CardRecord.fetchOne(db, key: user.rawValue)?.stored }
    }

    public func saveCard(
        _ card: Card, of user: UserID, ifMatch: String?, historyLimit: Int, now: Date
    ) async throws -> (StoredCard, changed: Bool) {
        try await pool.write { db in
            guard try UserRecord.exists(db, key: user.rawValue) else {
                throw CardexError.notFound("the account no longer exists")
            }
            let current = try CardRecord.fetchOne(db, key: user.rawValue)
            if let ifMatch, ifMatch != current?.etag {
                throw CardexError.failedPrecondition(
                    "the card changed since etag \(ifMatch) was read (it is now \(current?.etag ?? "empty")): read it again and reapply the change")
            }
            let etag = ETag.ofCard(card)
            if let current, current.etag == etag { return (current.stored, changed: false) }

            let version = (current?.version ?? 0) + 1
            // Timestamps only move forward, even if the clock steps back.
            let updatedAt = max(now, current.map { $0.updatedAt.addingTimeInterval(0.001) } ?? now)
            if current != nil {
                try db.execute(
                    sql: """
                        INSERT INTO card_history (user_id, version, etag, content, updated_at)
                        SELECT user_id, version, etag, content, updated_at FROM cards WHERE user_id = ?
                        """,
                    arguments: [user.rawValue])
                try db.execute(
                    sql: "DELETE FROM card_history WHERE user_id = ? AND version < ?",
                    arguments: [user.rawValue, version - Int64(historyLimit)])
            }
            let record = CardRecord(userId: user.rawValue, version: version, etag: etag, content: card, updatedAt: updatedAt)
            try record.save(db)
            return (record.stored, changed: true)
        }
    }

    public func previousCards(of user: UserID) async throws -> [StoredCard] {
        try await pool.read { db in
            try CardRecord.fetchAll(
                db, sql: "SELECT * FROM card_history WHERE user_id = ? ORDER BY version DESC", arguments: [user.rawValue]
            ).map(\.stored)
        }
    }

    public func relation(of reader: UserID, to owner: UserID) async throws -> Relation {
        // Sharing, mutual matching and groups add contacts and common groups here.
        Relation(reader: reader, isOwner: reader == owner)
    }
}
