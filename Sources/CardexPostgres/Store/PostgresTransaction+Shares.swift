import CardexCore
import Foundation
import PostgresNIO

extension PostgresTransaction {
    func share(_ id: String) async throws -> StoredShare? {
        try await rows("SELECT \(unescaped: Self.shareColumns) FROM shares WHERE id = \(id)").first.map(Self.share)
    }

    func shares(of owner: UserID) async throws -> [StoredShare] {
        try await rows(
            """
            SELECT \(unescaped: Self.shareColumns) FROM shares WHERE owner_id = \(owner.rawValue)
            ORDER BY created_at DESC, insertion_order DESC
            """
        ).map(Self.share)
    }

    func cardShares(of owner: UserID, to target: ShareTarget, in states: Set<StoredShare.State>) async throws -> [StoredShare] {
        let recipient: PostgresQuery =
            switch target {
            case .user(let user):
                """
                SELECT \(unescaped: Self.shareColumns) FROM shares WHERE owner_id = \(owner.rawValue) AND entry IS NULL
                  AND recipient_user_id = \(user.rawValue) AND state = ANY(\(states.map(\.rawValue)))
                ORDER BY insertion_order
                """
            case .unregistered(let phone):
                """
                SELECT \(unescaped: Self.shareColumns) FROM shares WHERE owner_id = \(owner.rawValue) AND entry IS NULL
                  AND recipient_user_id IS NULL AND recipient_phone = \(phone.e164) AND state = ANY(\(states.map(\.rawValue)))
                ORDER BY insertion_order
                """
            }
        return try await rows(recipient).map(Self.share)
    }

    func unansweredShareCount(of owner: UserID) async throws -> Int {
        let unanswered = [StoredShare.State.waiting, .delivered].map(\.rawValue)
        return try await value(
            "SELECT count(*) FROM shares WHERE owner_id = \(owner.rawValue) AND state = ANY(\(unanswered))", as: Int.self) ?? 0
    }

    func shares(to user: UserID, in state: StoredShare.State) async throws -> [StoredShare] {
        // NULLS FIRST: SQLite sorts NULL before any value.
        try await rows(
            """
            SELECT \(unescaped: Self.shareColumns) FROM shares WHERE recipient_user_id = \(user.rawValue) AND state = \(state.rawValue)
            ORDER BY delivered_at NULLS FIRST, created_at, insertion_order
            """
        ).map(Self.share)
    }

    func shareCount(to user: UserID, in state: StoredShare.State) async throws -> Int {
        try await value(
            "SELECT count(*) FROM shares WHERE recipient_user_id = \(user.rawValue) AND state = \(state.rawValue)", as: Int.self) ?? 0
    }

    func acceptedCardOwners(for user: UserID) async throws -> [UserID] {
        try await rows(
            """
            SELECT owner_id FROM shares
            WHERE recipient_user_id = \(user.rawValue) AND state = \(StoredShare.State.accepted.rawValue) AND entry IS NULL
            ORDER BY created_at, insertion_order
            """
        ).map { UserID(rawValue: try $0.decode(String.self)) }
    }

    func insertShare(_ share: StoredShare) async throws {
        let (fields, entry) = try Self.encoded(share)
        try await execute(
            """
            INSERT INTO shares (id, owner_id, recipient_user_id, recipient_phone, fields, state, created_at, delivered_at, entry)
            VALUES (\(share.id), \(share.owner.rawValue), \(share.recipientUser?.rawValue), \(share.recipientPhone?.e164),
                    \(fields), \(share.state.rawValue), \(share.createdAt), \(share.deliveredAt),
                    \(entry))
            """)
    }

    func updateShare(_ share: StoredShare) async throws {
        let (fields, entry) = try Self.encoded(share)
        try await execute(
            """
            UPDATE shares SET owner_id = \(share.owner.rawValue), recipient_user_id = \(share.recipientUser?.rawValue),
                recipient_phone = \(share.recipientPhone?.e164), fields = \(fields),
                state = \(share.state.rawValue), created_at = \(share.createdAt), delivered_at = \(share.deliveredAt),
                entry = \(entry)
            WHERE id = \(share.id)
            """)
    }

    func deleteShare(_ id: String) async throws {
        try await execute("DELETE FROM shares WHERE id = \(id)")
    }

    func deletePublicShares(of owner: UserID) async throws {
        try await execute("DELETE FROM shares WHERE owner_id = \(owner.rawValue) AND state = \(StoredShare.State.public.rawValue)")
    }

    func deleteAcceptedCardShares(of owner: UserID, heldBy user: UserID) async throws {
        try await execute(
            """
            DELETE FROM shares WHERE owner_id = \(owner.rawValue) AND recipient_user_id = \(user.rawValue)
              AND state = \(StoredShare.State.accepted.rawValue) AND entry IS NULL
            """)
    }

    func claimWaitingShares(to phone: PhoneNumber, for user: UserID) async throws {
        try await execute(
            """
            UPDATE shares SET recipient_user_id = \(user.rawValue)
            WHERE recipient_user_id IS NULL AND recipient_phone = \(phone.e164) AND state = \(StoredShare.State.waiting.rawValue)
            """)
        // A number the account itself shared with before it moved there (after the update: a
        // waiting share it made to the number is now one to itself).
        try await execute("DELETE FROM shares WHERE owner_id = \(user.rawValue) AND recipient_user_id = \(user.rawValue)")
    }

    /// The share's encoded columns: `fields`, and `entry` (nil for a share of the owner's card).
    private static func encoded(_ share: StoredShare) throws -> (fields: String, entry: String?) {
        (try StoredJSON.encode(share.fields), try share.entry.map { try StoredJSON.encode($0) })
    }

    private static let shareColumns =
        "id, owner_id, recipient_user_id, recipient_phone, fields, state, created_at, delivered_at, entry"

    private static func share(_ row: PostgresRow) throws -> StoredShare {
        let (id, owner, recipientUser, recipientPhone, fields, state, createdAt, deliveredAt, entry) = try row.decode(
            (String, String, String?, String?, String, String, Date, Date?, String?).self)
        return StoredShare(
            id: id, owner: UserID(rawValue: owner), recipientUser: recipientUser.map(UserID.init(rawValue:)),
            recipientPhone: recipientPhone.map(PhoneNumber.init(e164:)), fields: try StoredJSON.decode(FieldSelection.self, from: fields),
            state: StoredShare.State(rawValue: state) ?? .waiting, createdAt: createdAt, deliveredAt: deliveredAt,
            entry: try entry.map { try StoredJSON.decode(BookEntry.self, from: $0) })
    }
}
