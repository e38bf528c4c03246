import CardexCore
import Foundation
import GRDB

extension SQLiteTransaction {
    func group(_ id: String) async throws -> Group? {
        try GroupRecord.fetchOne(db, key: id)?.group
    }

    func member(_ user: UserID, in groupID: String) async throws -> GroupMember? {
        let key = [GroupMemberRecord.Columns.groupID.name: groupID, GroupMemberRecord.Columns.userID.name: user.rawValue]
        return try GroupMemberRecord.fetchOne(db, key: key)?.member
    }

    func members(of groupID: String) async throws -> [GroupMember] {
        try GroupMemberRecord.filter(GroupMemberRecord.Columns.groupID == groupID)
            .order(GroupMemberRecord.Columns.joinedAt, Column.rowID)
            .fetchAll(db).map(\.member)
    }

    func membersWithCards(of groupID: String) async throws -> [(GroupMember, StoredCard?)] {
        // Columns by position: name lookups (case-insensitive) cost more than the rest of a
        // large directory, and so does Codable row decoding.
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT m.user_id, m.phone, m.role, m.tag, m.joined_at, c.version, c.etag, c.content, c.updated_at
                FROM group_members m LEFT JOIN cards c ON c.user_id = m.user_id
                WHERE m.group_id = ? ORDER BY m.joined_at, m.rowid
                """,
            arguments: [groupID])
        var members: [(GroupMember, StoredCard?)] = []
        while let row = try rows.next() {
            let member = GroupMember(
                user: UserID(rawValue: row[0]), phone: PhoneNumber(e164: row[1]), role: GroupRole(rawValue: row[2]) ?? .member,
                tag: row[3], joinedAt: row[4])
            let card = row.hasNull(atIndex: 5) ? nil : try Self.storedCard(row, from: 5, currentOf: member.user)
            members.append((member, card))
        }
        return members
    }

    func memberCount(of groupID: String) async throws -> Int {
        try GroupMemberRecord.filter(GroupMemberRecord.Columns.groupID == groupID).fetchCount(db)
    }

    func groupIDs(of user: UserID) async throws -> [String] {
        try String.fetchAll(
            db,
            GroupMemberRecord.filter(GroupMemberRecord.Columns.userID == user.rawValue)
                .order(GroupMemberRecord.Columns.joinedAt)
                .select(GroupMemberRecord.Columns.groupID))
    }

    func ownedGroupCount(of owner: UserID) async throws -> Int {
        try GroupRecord.filter(Column("owner_id") == owner.rawValue).fetchCount(db)
    }

    func invitation(_ id: String) async throws -> StoredInvitation? {
        try GroupInvitationRecord.fetchOne(db, key: id)?.stored
    }

    func invitations(in groupID: String, to target: ShareTarget?) async throws -> [StoredInvitation] {
        var request = GroupInvitationRecord.filter(GroupInvitationRecord.Columns.groupID == groupID)
        switch target {
        case .user(let user)?: request = request.filter(GroupInvitationRecord.Columns.inviteeUserID == user.rawValue)
        case .unregistered(let phone)?:
            request = request.filter(
                GroupInvitationRecord.Columns.inviteeUserID == nil && GroupInvitationRecord.Columns.inviteePhone == phone.e164)
        case nil: break
        }
        return try request.order(GroupInvitationRecord.Columns.createdAt, Column.rowID).fetchAll(db).map(\.stored)
    }

    func invitations(to user: UserID) async throws -> [StoredInvitation] {
        try GroupInvitationRecord
            .filter(GroupInvitationRecord.Columns.inviteeUserID == user.rawValue)
            .order(Column("delivered_at"), Column.rowID)
            .fetchAll(db).map(\.stored)
    }

    func waitingInvitations(to phone: PhoneNumber) async throws -> [StoredInvitation] {
        try GroupInvitationRecord
            .filter(GroupInvitationRecord.Columns.inviteeUserID == nil && GroupInvitationRecord.Columns.inviteePhone == phone.e164)
            .order(GroupInvitationRecord.Columns.createdAt, Column.rowID)
            .fetchAll(db).map(\.stored)
    }

    func insertGroup(_ group: Group) async throws {
        try GroupRecord(id: group.id, name: group.name, ownerId: group.owner.rawValue, createdAt: group.createdAt).insert(db)
    }

    func deleteGroup(_ id: String) async throws {
        _ = try GroupRecord.deleteOne(db, key: id)  // members and invitations cascade
    }

    func insertMember(_ member: GroupMember, in groupID: String) async throws {
        try GroupMemberRecord(groupID: groupID, member).insert(db)
    }

    func updateMember(_ member: GroupMember, in groupID: String) async throws {
        try GroupMemberRecord(groupID: groupID, member).update(db)
    }

    func deleteMember(_ user: UserID, from groupID: String) async throws {
        let key = [GroupMemberRecord.Columns.groupID.name: groupID, GroupMemberRecord.Columns.userID.name: user.rawValue]
        _ = try GroupMemberRecord.deleteOne(db, key: key)
    }

    func insertInvitation(_ invitation: StoredInvitation) async throws {
        try GroupInvitationRecord(invitation).insert(db)
    }

    func updateInvitation(_ invitation: StoredInvitation) async throws {
        try GroupInvitationRecord(invitation).update(db)
    }

    func deleteInvitation(_ id: String) async throws {
        _ = try GroupInvitationRecord.deleteOne(db, key: id)
    }
}
