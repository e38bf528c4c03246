import CardexCore
import Foundation
import GRDB

extension SQLiteTransaction {
    func share(_ id: String) async throws -> StoredShare? {
        try ShareRecord.fetchOne(db, key: id)?.stored
    }

    func shares(of owner: UserID) async throws -> [StoredShare] {
        try ShareRecord.filter(ShareRecord.Columns.ownerID == owner.rawValue)
            .order(ShareRecord.Columns.createdAt.desc, Column.rowID.desc)
            .fetchAll(db).map(\.stored)
    }

    func cardShares(of owner: UserID, to target: ShareTarget, in states: Set<StoredShare.State>) async throws -> [StoredShare] {
        let samePerson: SQLExpression =
            switch target {
            case .user(let user): ShareRecord.Columns.recipientUserID == user.rawValue
            case .unregistered(let phone): ShareRecord.Columns.recipientUserID == nil && ShareRecord.Columns.recipientPhone == phone.e164
            }
        return try ShareRecord.cardShares()
            .filter(ShareRecord.Columns.ownerID == owner.rawValue && samePerson)
            .filter(states.map(\.rawValue).contains(ShareRecord.Columns.state))
            .order(Column.rowID)
            .fetchAll(db).map(\.stored)
    }

    func unansweredShareCount(of owner: UserID) async throws -> Int {
        try ShareRecord
            .filter(ShareRecord.Columns.ownerID == owner.rawValue)
            .filter(ShareRecord.unansweredStates.contains(ShareRecord.Columns.state))
            .fetchCount(db)
    }

    func shares(to user: UserID, in state: StoredShare.State) async throws -> [StoredShare] {
        try ShareRecord
            .filter(ShareRecord.Columns.recipientUserID == user.rawValue && ShareRecord.Columns.state == state.rawValue)
            .order(Column("delivered_at"), ShareRecord.Columns.createdAt, Column.rowID)
            .fetchAll(db).map(\.stored)
    }

    func shareCount(to user: UserID, in state: StoredShare.State) async throws -> Int {
        try ShareRecord
            .filter(ShareRecord.Columns.recipientUserID == user.rawValue && ShareRecord.Columns.state == state.rawValue)
            .fetchCount(db)
    }

    func acceptedCardOwners(for user: UserID) async throws -> [UserID] {
        try String.fetchAll(
            db,
            ShareRecord.cardShares()
                .filter(ShareRecord.Columns.recipientUserID == user.rawValue && ShareRecord.Columns.state == ShareRecord.State.accepted.rawValue)
                .order(ShareRecord.Columns.createdAt)
                .select(ShareRecord.Columns.ownerID)
        ).map(UserID.init(rawValue:))
    }

    func insertShare(_ share: StoredShare) async throws {
        try ShareRecord(share).insert(db)
    }

    func updateShare(_ share: StoredShare) async throws {
        try ShareRecord(share).update(db)
    }

    func deleteShare(_ id: String) async throws {
        _ = try ShareRecord.deleteOne(db, key: id)
    }

    func deletePublicShares(of owner: UserID) async throws {
        try ShareRecord
            .filter(ShareRecord.Columns.ownerID == owner.rawValue && ShareRecord.Columns.state == ShareRecord.State.public.rawValue)
            .deleteAll(db)
    }

    func deleteAcceptedCardShares(of owner: UserID, heldBy user: UserID) async throws {
        try ShareRecord.cardShares()
            .filter(ShareRecord.Columns.ownerID == owner.rawValue && ShareRecord.Columns.recipientUserID == user.rawValue)
            .filter(ShareRecord.Columns.state == ShareRecord.State.accepted.rawValue)
            .deleteAll(db)
    }

    func claimWaitingShares(to phone: PhoneNumber, for user: UserID) async throws {
        try db.execute(
            sql: """
                UPDATE shares SET recipient_user_id = ?
                WHERE recipient_user_id IS NULL AND recipient_phone = ? AND state = 'waiting'
                """,
            arguments: [user.rawValue, phone.e164])
        // A number the account itself shared with before it moved there.
        try ShareRecord.filter(ShareRecord.Columns.ownerID == user.rawValue && ShareRecord.Columns.recipientUserID == user.rawValue)
            .deleteAll(db)
    }
}
