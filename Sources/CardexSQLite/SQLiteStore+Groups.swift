import CardexCore
import Foundation
import GRDB

extension SQLiteStore {

    /// The other members `me` sees in the group.
    static func members(of groupID: String, seenBy me: GroupMember, _ db: Database) throws -> [GroupMember] {
        try members(of: groupID, db).filter { $0.user != me.user && me.sees($0) }
    }

    // MARK: - Inside transactions

    static func member(_ user: UserID, in groupID: String, _ db: Database) throws -> GroupMember? {
        let key = [GroupMemberRecord.Columns.groupID.name: groupID, GroupMemberRecord.Columns.userID.name: user.rawValue]
        return try GroupMemberRecord.fetchOne(db, key: key)?.member
    }

    static func members(of groupID: String, _ db: Database) throws -> [GroupMember] {
        try GroupMemberRecord.filter(GroupMemberRecord.Columns.groupID == groupID)
            .order(GroupMemberRecord.Columns.joinedAt, Column.rowID)
            .fetchAll(db).map(\.member)
    }

    /// The caller's membership, or NOT_FOUND: non-members cannot tell a group exists.
    static func membership(in groupID: String, of user: UserID, _ db: Database) throws -> GroupMembership {
        guard let me = try member(user, in: groupID, db), let group = try GroupRecord.fetchOne(db, key: groupID)?.group else {
            throw CardexError.notFound("you are in no group \"\(groupID.prefix(64))\"; ListGroups shows yours")
        }
        let count = try GroupMemberRecord.filter(GroupMemberRecord.Columns.groupID == groupID).fetchCount(db)
        return GroupMembership(group: group, me: me, memberCount: count)
    }

    /// A member's card as another member sees it in a group: the fields whose audience includes
    /// the group, or everyone.
    static func groupView(of card: StoredCard?, owner: UserID, reader: UserID, group: String) -> CardView {
        CardView(owner: owner, card: card, relation: Relation(reader: reader, isOwner: reader == owner, commonGroups: [group]))
    }

    static func directory(
        of groupID: String, for user: UserID, includeSelf: Bool, _ db: Database
    ) throws -> (GroupMembership, [DirectoryEntry]) {
        let membership = try membership(in: groupID, of: user, db)
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
        var entries: [DirectoryEntry] = []
        while let row = try rows.next() {
            let userID: String = row[0]
            let member = GroupMember(
                user: UserID(rawValue: userID), phone: PhoneNumber(e164: row[1]),
                role: GroupRole(rawValue: row[2]) ?? .member, tag: row[3], joinedAt: row[4])
            guard membership.me.sees(member), includeSelf || member.user != user else { continue }
            let card = row.hasNull(atIndex: 5) ? nil : try storedCard(row, from: 5, currentOf: member.user)
            entries.append(DirectoryEntry(member: member, card: groupView(of: card, owner: member.user, reader: user, group: groupID)))
        }
        return (membership, entries)
    }

    static func invitation(_ record: GroupInvitationRecord, _ db: Database) throws -> GroupInvitation {
        let name = try String.fetchOne(db, sql: "SELECT name FROM groups WHERE id = ?", arguments: [record.groupId]) ?? ""
        return GroupInvitation(
            id: record.id, groupID: record.groupId, groupName: name, inviter: UserID(rawValue: record.inviterId),
            receivedAt: record.deliveredAt ?? record.createdAt)
    }

    private static func inboxInvitation(_ id: String, of user: UserID, _ db: Database) throws -> GroupInvitationRecord {
        guard
            let invitation = try GroupInvitationRecord.filter(key: id)
                .filter(GroupInvitationRecord.Columns.inviteeUserID == user.rawValue)
                .fetchOne(db)
        else { throw CardexError.notFound("no invitation \"\(id.prefix(64))\"; ListInvitations shows yours") }
        return invitation
    }

    /// Takes a member out of a group and tells them and the members who saw them. The member
    /// also gets, for each card the group showed them, the card as they may see it now, or
    /// `access_removed` when they see nothing of it any more: their devices and delta sync drop
    /// what the group gave them.
    static func endMembership(of member: GroupMember, in groupID: String, _ end: MembershipEnd, log: inout EventLog, _ db: Database) throws {
        let seen = try members(of: groupID, seenBy: member, db).map(\.user)
        let before = try seen.map { try view(of: $0, for: member.user, db) }
        let key = [GroupMemberRecord.Columns.groupID.name: groupID, GroupMemberRecord.Columns.userID.name: member.user.rawValue]
        _ = try GroupMemberRecord.deleteOne(db, key: key)
        try log.append(.membershipEnded(groupID: groupID, end), to: member.user, db)
        for (owner, earlier) in zip(seen, before) {
            let now = try view(of: owner, for: member.user, db)
            guard now != earlier else { continue }
            try log.append(now.fields.isEmpty ? .accessRemoved(owner: owner) : .cardUpdated(now), to: member.user, db)
        }
        for other in try members(of: groupID, db) where other.sees(member) {
            try log.append(.memberLeft(groupID: groupID, user: member.user), to: other.user, db)
        }
    }

    /// Deletes a group, telling its members and the invitees who have it in their inbox.
    static func deleteGroup(_ groupID: String, log: inout EventLog, _ db: Database) throws {
        for member in try members(of: groupID, db) {
            try log.append(.membershipEnded(groupID: groupID, .groupDeleted), to: member.user, db)
        }
        for invitation in try GroupInvitationRecord.filter(GroupInvitationRecord.Columns.groupID == groupID).fetchAll(db) {
            guard let invitee = invitation.inviteeUserId else { continue }  // still waiting for the number
            try log.append(.inboxItemRemoved(itemID: invitation.id, reason: .withdrawn), to: UserID(rawValue: invitee), db)
        }
        _ = try GroupRecord.deleteOne(db, key: groupID)
    }

    /// Delivers the invitations that waited for `account`'s number.
    static func deliverWaitingInvitations(to account: Account, log: inout EventLog, _ db: Database) throws {
        let waiting = try GroupInvitationRecord
            .filter(GroupInvitationRecord.Columns.inviteeUserID == nil && GroupInvitationRecord.Columns.inviteePhone == account.phone.e164)
            .order(GroupInvitationRecord.Columns.createdAt, Column.rowID)
            .fetchAll(db)
        for var invitation in waiting {
            if try member(account.userID, in: invitation.groupId, db) != nil {
                _ = try invitation.delete(db)
                continue
            }
            invitation.inviteeUserId = account.userID.rawValue
            invitation.deliveredAt = log.now
            try invitation.update(db)
            try log.append(.invitationReceived(try Self.invitation(invitation, db)), to: account.userID, db)
        }
    }
}
