import CardexCore
import Foundation
import PostgresNIO

extension PostgresTransaction {
    func cardGrants(of owner: UserID, to reader: UserID?) async throws -> [CardGrant] {
        let accepted = StoredShare.State.accepted.rawValue
        let everyone = StoredShare.State.public.rawValue
        let query: PostgresQuery =
            if let reader {
                """
                SELECT recipient_user_id, state, fields FROM shares WHERE owner_id = \(owner.rawValue) AND entry IS NULL
                  AND ((recipient_user_id = \(reader.rawValue) AND state = \(accepted)) OR state = \(everyone))
                """
            } else {
                """
                SELECT recipient_user_id, state, fields FROM shares WHERE owner_id = \(owner.rawValue) AND entry IS NULL
                  AND state IN (\(accepted), \(everyone))
                """
            }
        return try await rows(query).map { row in
            let (holder, state, fields) = try row.decode((String?, String, String).self)
            return CardGrant(
                holder: state == accepted ? holder.map(UserID.init(rawValue:)) : nil,
                fields: try StoredJSON.decode(FieldSelection.self, from: fields))
        }
    }

    func cardGrants(of owners: [UserID], to reader: UserID) async throws -> [UserID: [CardGrant]] {
        let accepted = StoredShare.State.accepted.rawValue
        var grants: [UserID: [CardGrant]] = [:]
        for row in try await rows(
            """
            SELECT owner_id, recipient_user_id, state, fields FROM shares WHERE owner_id = ANY(\(owners.map(\.rawValue))) AND entry IS NULL
              AND ((recipient_user_id = \(reader.rawValue) AND state = \(accepted)) OR state = \(StoredShare.State.public.rawValue))
            """)
        {
            let (owner, holder, state, fields) = try row.decode((String, String?, String, String).self)
            grants[UserID(rawValue: owner), default: []].append(
                CardGrant(
                    holder: state == accepted ? holder.map(UserID.init(rawValue:)) : nil,
                    fields: try StoredJSON.decode(FieldSelection.self, from: fields)))
        }
        return grants
    }

    func mutualContacts(of user: UserID) async throws -> [UserID] {
        try await rows("SELECT user_id FROM mutual_contacts WHERE contact_id = \(user.rawValue)")
            .map { UserID(rawValue: try $0.decode(String.self)) }
    }

    func isMutualContact(_ reader: UserID, of owner: UserID) async throws -> Bool {
        try await value(
            "SELECT EXISTS (SELECT 1 FROM mutual_contacts WHERE user_id = \(reader.rawValue) AND contact_id = \(owner.rawValue))",
            as: Bool.self) ?? false
    }

    func belongsToAnyGroup(_ user: UserID) async throws -> Bool {
        try await value("SELECT EXISTS (SELECT 1 FROM group_members WHERE user_id = \(user.rawValue))", as: Bool.self) ?? false
    }

    func groupPairs(of owner: UserID, reader: UserID?) async throws -> [GroupPair] {
        // Both members' rows: a card update reads this for every member of every group.
        try await rows(
            """
            SELECT o.group_id, o.user_id, o.phone, o.role, o.tag, o.joined_at, r.user_id, r.phone, r.role, r.tag, r.joined_at
            FROM group_members o JOIN group_members r ON r.group_id = o.group_id AND r.user_id != o.user_id
            WHERE o.user_id = \(owner.rawValue) AND (\(reader?.rawValue)::text IS NULL OR r.user_id = \(reader?.rawValue))
            """
        ).map(Self.groupPair)
    }

    func groupPairs(of owners: [UserID], reader: UserID) async throws -> [GroupPair] {
        try await rows(
            """
            SELECT o.group_id, o.user_id, o.phone, o.role, o.tag, o.joined_at, r.user_id, r.phone, r.role, r.tag, r.joined_at
            FROM group_members r JOIN group_members o ON o.group_id = r.group_id AND o.user_id != r.user_id
            WHERE r.user_id = \(reader.rawValue) AND o.user_id = ANY(\(owners.map(\.rawValue)))
            """
        ).map(Self.groupPair)
    }

    /// A row of the pair queries above: the owner's membership, then the other member's.
    private static func groupPair(_ row: PostgresRow) throws -> GroupPair {
        let (groupID, ownerID, phone, role, tag, joinedAt, otherID, otherPhone, otherRole, otherTag, otherJoinedAt) = try row.decode(
            (String, String, String, String, String?, Date, String, String, String, String?, Date).self)
        return GroupPair(
            groupID: groupID,
            owner: GroupMember(
                user: UserID(rawValue: ownerID), phone: PhoneNumber(e164: phone), role: GroupRole(rawValue: role) ?? .member, tag: tag,
                joinedAt: joinedAt),
            other: GroupMember(
                user: UserID(rawValue: otherID), phone: PhoneNumber(e164: otherPhone), role: GroupRole(rawValue: otherRole) ?? .member,
                tag: otherTag, joinedAt: otherJoinedAt))
    }
}
