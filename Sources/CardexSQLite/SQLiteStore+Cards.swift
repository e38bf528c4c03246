import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    public func card(of user: UserID) async throws -> StoredCard? {
        try await pool.read { db in try Self.currentCard(of: user, db) }
    }

    public func previousCards(of user: UserID) async throws -> [StoredCard] {
        try await pool.read { db in try Self.previousCards(of: user, db) }
    }

    /// Earlier versions of the person's card, newest first.
    static func previousCards(of user: UserID, _ db: Database) throws -> [StoredCard] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT version, etag, content, updated_at FROM card_history WHERE user_id = ? ORDER BY version DESC"),
            arguments: [user.rawValue]
        ).map { try storedCard($0, from: 0, currentOf: nil) }
    }

    public func relation(of reader: UserID, to owner: UserID) async throws -> Relation {
        try await pool.read { db in try Self.relation(of: reader, to: owner, db) }
    }
}
