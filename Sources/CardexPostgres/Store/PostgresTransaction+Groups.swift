import CardexCore
import Foundation
import PostgresNIO

extension PostgresTransaction {
    func group(_ id: String) async throws -> Group? {
        try await rows("SELECT name, owner_id, created_at FROM groups WHERE id = \(id)").first.map { row in
            let (name, owner, createdAt) = try row.decode((String, String, Date).self)
            return Group(id: id, name: name, owner: UserID(rawValue: owner), createdAt: createdAt)
        }
    }

    func member(_ user: UserID, in groupID: String) async throws -> GroupMember? {
        try await rows(
            "SELECT \(unescaped: Self.memberColumns) FROM group_members WHERE group_id = \(groupID) AND user_id = \(user.rawValue)"
        ).first.map(Self.member)
    }

    func members(of groupID: String) async throws -> [GroupMember] {
        try await rows(
            "SELECT \(unescaped: Self.memberColumns) FROM group_members WHERE group_id = \(groupID) ORDER BY joined_at, insertion_order"
        ).map(Self.member)
    }

    func membersWithCards(of groupID: String) async throws -> [(GroupMember, StoredCard?)] {
        try await rows(
            """
            SELECT m.user_id, m.phone, m.role, m.tag, m.joined_at, c.version, c.etag, c.content, c.updated_at
            FROM group_members m LEFT JOIN cards c ON c.user_id = m.user_id
            WHERE m.group_id = \(groupID) ORDER BY m.joined_at, m.insertion_order
            """
        ).map { row in
            let (user, phone, role, tag, joinedAt, version, etag, content, updatedAt) = try row.decode(
                (String, String, String, String?, Date, Int64?, String?, Data?, Date?).self)
            let member = GroupMember(
                user: UserID(rawValue: user), phone: PhoneNumber(e164: phone), role: GroupRole(rawValue: role) ?? .member, tag: tag,
                joinedAt: joinedAt)
            guard let version, let etag, let content, let updatedAt else { return (member, nil) }
            return (member, try Self.storedCard((version, etag, content, updatedAt)))
        }
    }

    func memberCount(of groupID: String) async throws -> Int {
        try await value("SELECT count(*) FROM group_members WHERE group_id = \(groupID)", as: Int.self) ?? 0
    }

    func groupIDs(of user: UserID) async throws -> [String] {
        try await rows("SELECT group_id FROM group_members WHERE user_id = \(user.rawValue) ORDER BY joined_at, insertion_order")
            .map { try $0.decode(String.self) }
    }

    func ownedGroupCount(of owner: UserID) async throws -> Int {
        try await value("SELECT count(*) FROM groups WHERE owner_id = \(owner.rawValue)", as: Int.self) ?? 0
    }

    func invitation(_ id: String) async throws -> StoredInvitation? {
        try await rows("SELECT \(unescaped: Self.invitationColumns) FROM group_invitations WHERE id = \(id)").first.map(Self.invitation)
    }

    func invitations(in groupID: String, to target: ShareTarget?) async throws -> [StoredInvitation] {
        let query: PostgresQuery =
            switch target {
            case .user(let user)?:
                """
                SELECT \(unescaped: Self.invitationColumns) FROM group_invitations
                WHERE group_id = \(groupID) AND invitee_user_id = \(user.rawValue) ORDER BY created_at, insertion_order
                """
            case .unregistered(let phone)?:
                """
                SELECT \(unescaped: Self.invitationColumns) FROM group_invitations
                WHERE group_id = \(groupID) AND invitee_user_id IS NULL AND invitee_phone = \(phone.e164)
                ORDER BY created_at, insertion_order
                """
            case nil:
                """
                SELECT \(unescaped: Self.invitationColumns) FROM group_invitations
                WHERE group_id = \(groupID) ORDER BY created_at, insertion_order
                """
            }
        return try await rows(query).map(Self.invitation)
    }

    func invitations(to user: UserID) async throws -> [StoredInvitation] {
        // NULLS FIRST: SQLite sorts NULL before any value.
        try await rows(
            """
            SELECT \(unescaped: Self.invitationColumns) FROM group_invitations
            WHERE invitee_user_id = \(user.rawValue) ORDER BY delivered_at NULLS FIRST, insertion_order
            """
        ).map(Self.invitation)
    }

    func waitingInvitations(to phone: PhoneNumber) async throws -> [StoredInvitation] {
        try await rows(
            """
            SELECT \(unescaped: Self.invitationColumns) FROM group_invitations
            WHERE invitee_user_id IS NULL AND invitee_phone = \(phone.e164) ORDER BY created_at, insertion_order
            """
        ).map(Self.invitation)
    }

    func insertGroup(_ group: Group) async throws {
        try await execute(
            "INSERT INTO groups (id, name, owner_id, created_at) VALUES (\(group.id), \(group.name), \(group.owner.rawValue), \(group.createdAt))")
    }

    func deleteGroup(_ id: String) async throws {
        try await execute("DELETE FROM groups WHERE id = \(id)")  // members and invitations cascade
    }

    func insertMember(_ member: GroupMember, in groupID: String) async throws {
        try await execute(
            """
            INSERT INTO group_members (group_id, user_id, phone, role, tag, joined_at)
            VALUES (\(groupID), \(member.user.rawValue), \(member.phone.e164), \(member.role.rawValue), \(member.tag), \(member.joinedAt))
            """)
    }

    func updateMember(_ member: GroupMember, in groupID: String) async throws {
        try await execute(
            """
            UPDATE group_members SET phone = \(member.phone.e164), role = \(member.role.rawValue), tag = \(member.tag),
                joined_at = \(member.joinedAt)
            WHERE group_id = \(groupID) AND user_id = \(member.user.rawValue)
            """)
    }

    func deleteMember(_ user: UserID, from groupID: String) async throws {
        try await execute("DELETE FROM group_members WHERE group_id = \(groupID) AND user_id = \(user.rawValue)")
    }

    func insertInvitation(_ invitation: StoredInvitation) async throws {
        try await execute(
            """
            INSERT INTO group_invitations (id, group_id, inviter_id, invitee_user_id, invitee_phone, tag, created_at, delivered_at)
            VALUES (\(invitation.id), \(invitation.groupID), \(invitation.inviter.rawValue), \(invitation.inviteeUser?.rawValue),
                    \(invitation.inviteePhone.e164), \(invitation.tag), \(invitation.createdAt), \(invitation.deliveredAt))
            """)
    }

    func updateInvitation(_ invitation: StoredInvitation) async throws {
        try await execute(
            """
            UPDATE group_invitations SET group_id = \(invitation.groupID), inviter_id = \(invitation.inviter.rawValue),
                invitee_user_id = \(invitation.inviteeUser?.rawValue), invitee_phone = \(invitation.inviteePhone.e164),
                tag = \(invitation.tag), created_at = \(invitation.createdAt), delivered_at = \(invitation.deliveredAt)
            WHERE id = \(invitation.id)
            """)
    }

    func deleteInvitation(_ id: String) async throws {
        try await execute("DELETE FROM group_invitations WHERE id = \(id)")
    }

    private static let memberColumns = "user_id, phone, role, tag, joined_at"
    private static let invitationColumns = "id, group_id, inviter_id, invitee_user_id, invitee_phone, tag, created_at, delivered_at"

    /// The member in a row of ``memberColumns``.
    private static func member(_ row: PostgresRow) throws -> GroupMember {
        let (user, phone, role, tag, joinedAt) = try row.decode((String, String, String, String?, Date).self)
        return GroupMember(
            user: UserID(rawValue: user), phone: PhoneNumber(e164: phone), role: GroupRole(rawValue: role) ?? .member, tag: tag,
            joinedAt: joinedAt)
    }

    private static func invitation(_ row: PostgresRow) throws -> StoredInvitation {
        let (id, groupID, inviter, invitee, phone, tag, createdAt, deliveredAt) = try row.decode(
            (String, String, String, String?, String?, String?, Date, Date?).self)
        return StoredInvitation(
            id: id, groupID: groupID, inviter: UserID(rawValue: inviter), inviteeUser: invitee.map(UserID.init(rawValue:)),
            inviteePhone: PhoneNumber(e164: phone ?? ""), tag: tag, createdAt: createdAt, deliveredAt: deliveredAt)
    }
}
