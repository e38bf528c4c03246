import CardexCore
import Foundation
import GRDB

extension SQLiteTransaction {
    func cardGrants(of owner: UserID) async throws -> [CardGrant] {
        try ShareRecord.cardShares()
            .filter(ShareRecord.Columns.ownerID == owner.rawValue)
            .filter([ShareRecord.State.accepted.rawValue, ShareRecord.State.public.rawValue].contains(ShareRecord.Columns.state))
            .fetchAll(db)
            .compactMap { share in
                switch share.state {
                case .public: CardGrant(holder: nil, fields: share.fields)
                case .accepted: share.recipientUserId.map { CardGrant(holder: UserID(rawValue: $0), fields: share.fields) }
                default: nil
                }
            }
    }

    func mutualContacts(of user: UserID) async throws -> [UserID] {
        try SQLiteStore.mutualContacts(of: user, db)
    }

    func groupPairs(of owner: UserID, reader: UserID?) async throws -> [GroupPair] {
        // Both members' rows, by position: a card update reads this for every member of every group.
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT o.group_id, o.phone, o.role, o.tag, o.joined_at, r.user_id, r.phone, r.role, r.tag, r.joined_at
                    FROM group_members o JOIN group_members r ON r.group_id = o.group_id AND r.user_id != o.user_id
                    WHERE o.user_id = ?1 AND (?2 IS NULL OR r.user_id = ?2)
                    """),
            arguments: [owner.rawValue, reader?.rawValue])
        var pairs: [GroupPair] = []
        while let row = try rows.next() {
            pairs.append(GroupPair(
                groupID: row[0],
                owner: GroupMember(
                    user: owner, phone: PhoneNumber(e164: row[1]), role: GroupRole(rawValue: row[2]) ?? .member, tag: row[3],
                    joinedAt: row[4]),
                other: GroupMember(
                    user: UserID(rawValue: row[5]), phone: PhoneNumber(e164: row[6]), role: GroupRole(rawValue: row[7]) ?? .member,
                    tag: row[8], joinedAt: row[9])))
        }
        return pairs
    }
}
