import CardexCore
import CardexStorage
import Foundation
import PostgresNIO

extension PostgresTransaction {
    func accountExists(_ user: UserID) async throws -> Bool {
        try await value("SELECT EXISTS (SELECT 1 FROM users WHERE id = \(user.rawValue))", as: Bool.self) ?? false
    }

    func currentCard(of user: UserID) async throws -> StoredCard? {
        try await rows("SELECT version, etag, content, updated_at FROM cards WHERE user_id = \(user.rawValue)").first
            .map { try Self.storedCard($0.decode((Int64, String, Data, Date).self)) }
    }

    func currentCards(of users: [UserID]) async throws -> [UserID: StoredCard] {
        var cards: [UserID: StoredCard] = [:]
        for row in try await rows(
            "SELECT user_id, version, etag, content, updated_at FROM cards WHERE user_id = ANY(\(users.map(\.rawValue)))")
        {
            let (user, version, etag, content, updatedAt) = try row.decode((String, Int64, String, Data, Date).self)
            cards[UserID(rawValue: user)] = try Self.storedCard((version, etag, content, updatedAt))
        }
        return cards
    }

    func previousCards(of user: UserID) async throws -> [StoredCard] {
        try await rows(
            "SELECT version, etag, content, updated_at FROM card_history WHERE user_id = \(user.rawValue) ORDER BY version DESC"
        ).map { try Self.storedCard($0.decode((Int64, String, Data, Date).self)) }
    }

    func saveCard(_ card: StoredCard, of user: UserID, historyLimit: Int) async throws {
        // One statement. The version it replaces goes to the history only when it is among the
        // `historyLimit` newest kept (the pruning below cannot see a row this statement inserts).
        let oldestKept = Int64(card.version) - Int64(historyLimit)
        let content = StoredCardCodec.encode(card.card)
        try await execute(
            """
            WITH kept AS (
                INSERT INTO card_history (user_id, version, etag, content, updated_at)
                SELECT user_id, version, etag, content, updated_at FROM cards
                WHERE user_id = \(user.rawValue) AND version >= \(oldestKept)
            ), pruned AS (
                DELETE FROM card_history WHERE user_id = \(user.rawValue) AND version < \(oldestKept)
            )
            INSERT INTO cards (user_id, version, etag, content, updated_at)
            VALUES (\(user.rawValue), \(Int64(card.version)), \(card.etag), \(content), \(card.updatedAt))
            ON CONFLICT (user_id) DO UPDATE
            SET version = excluded.version, etag = excluded.etag, content = excluded.content, updated_at = excluded.updated_at
            """)
    }

    func recordFormerPhones(_ phones: [String], of user: UserID, at time: Date) async throws {
        guard !phones.isEmpty else { return }
        try await execute(
            """
            INSERT INTO former_phones (phone, user_id, until)
            SELECT DISTINCT phone, \(user.rawValue), \(time)::timestamptz FROM UNNEST(\(phones)::text[]) AS phone
            ON CONFLICT (phone, user_id) DO UPDATE SET until = excluded.until
            """)
    }

    /// The card in `columns` (version, etag, content, updated_at).
    static func storedCard(_ columns: (Int64, String, Data, Date)) throws -> StoredCard {
        StoredCard(card: try StoredCardCodec.decode(columns.2), version: UInt64(columns.0), etag: columns.1, updatedAt: columns.3)
    }
}
