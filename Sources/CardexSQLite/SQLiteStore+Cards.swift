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
}
