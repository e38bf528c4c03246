import CardexCore
import Foundation
import GRDB

extension SQLiteTransaction {
    func cardGrants(of owner: UserID, to reader: UserID?) async throws -> [CardGrant] {
        let rows: [Row]
        if let reader {
            // Most pairs have no share: one cached statement, and no decoder made for them.
            rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT recipient_user_id, state, fields FROM shares WHERE owner_id = ?1 AND entry IS NULL
                          AND ((recipient_user_id = ?2 AND state = 'accepted') OR state = 'public')
                        """),
                arguments: [owner.rawValue, reader.rawValue])
        } else {
            rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT recipient_user_id, state, fields FROM shares WHERE owner_id = ? AND entry IS NULL
                          AND state IN ('accepted', 'public')
                        """),
                arguments: [owner.rawValue])
        }
        guard !rows.isEmpty else { return [] }
        let decoder = ShareRecord.databaseJSONDecoder(for: "fields")
        return try rows.map { row in
            let holder: String? = (row[1] as String) == ShareRecord.State.accepted.rawValue ? row[0] : nil
            return CardGrant(
                holder: holder.map(UserID.init(rawValue:)), fields: try decoder.decode(FieldSelection.self, from: Data((row[2] as String).utf8)))
        }
    }

    func mutualContacts(of user: UserID) async throws -> [UserID] {
        try String.fetchAll(db, sql: "SELECT user_id FROM mutual_contacts WHERE contact_id = ?", arguments: [user.rawValue])
            .map(UserID.init(rawValue:))
    }

    func isMutualContact(_ reader: UserID, of owner: UserID) async throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM mutual_contacts WHERE user_id = ? AND contact_id = ?)"),
            arguments: [reader.rawValue, owner.rawValue]) ?? false
    }

    func belongsToAnyGroup(_ user: UserID) async throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM group_members WHERE user_id = ?)"), arguments: [user.rawValue]) ?? false
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
            pairs.append(
                GroupPair(
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
