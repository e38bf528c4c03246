import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    public func createGroup(named name: String, by owner: UserID, policy: GroupPolicy, now: Date) async throws -> GroupMembership {
        try await writeWithEvents(now: now) { db, _ in
            guard let account = try UserRecord.fetchOne(db, key: owner.rawValue)?.account else {
                throw CardexError.notFound("the account no longer exists")
            }
            let owned = try GroupRecord.filter(Column("owner_id") == owner.rawValue).fetchCount(db)
            guard owned < policy.maxOwnedGroups else {
                throw CardexError.resourceExhausted(
                    "you own \(owned) groups, the most allowed: delete one first", retryAfterSeconds: 0)
            }
            let group = Group(id: UUID().uuidString.lowercased(), name: name, owner: owner, createdAt: now)
            try GroupRecord(id: group.id, name: name, ownerId: owner.rawValue, createdAt: now).insert(db)
            let me = GroupMember(user: owner, phone: account.phone, role: .owner, tag: nil, joinedAt: now)
            try GroupMemberRecord(groupID: group.id, me).insert(db)
            return GroupMembership(group: group, me: me, memberCount: 1)
        }
    }

    public func invite(
        _ invitees: [Invitee], to groupID: String, by inviter: UserID, presence: any Presence, policy: GroupPolicy,
        sharing: SharingPolicy, now: Date
    ) async throws -> [String] {
        try await writeWithEvents(now: now) { db, log in
            let membership = try Self.membership(in: groupID, of: inviter, db)
            guard membership.me.role.administers else {
                throw CardexError.permissionDenied("only the group's owner and admins invite")
            }
            var inviting = Inviting(
                db: db, group: membership.group, inviter: inviter, presence: presence, policy: policy, sharing: sharing, now: now)
            return try invitees.map { try inviting.invite($0, log: &log) }
        }
    }

    public func groups(of user: UserID) async throws -> [GroupMembership] {
        try await pool.read { db in
            try GroupMemberRecord.filter(GroupMemberRecord.Columns.userID == user.rawValue)
                .order(GroupMemberRecord.Columns.joinedAt)
                .fetchAll(db)
                .map { try Self.membership(in: $0.groupId, of: user, db) }
        }
    }

    public func invitations(of user: UserID) async throws -> [GroupInvitation] {
        try await pool.read { db in
            try GroupInvitationRecord
                .filter(GroupInvitationRecord.Columns.inviteeUserID == user.rawValue)
                .order(Column("delivered_at"), Column.rowID)
                .fetchAll(db)
                .map { try Self.invitation($0, db) }
        }
    }

    public func acceptInvitation(
        _ id: String, by user: UserID, policy: GroupPolicy, now: Date
    ) async throws -> (GroupMembership, [DirectoryEntry]) {
        try await writeWithEvents(now: now) { db, log in
            let invitation = try Self.inboxInvitation(id, of: user, db)
            guard let account = try UserRecord.fetchOne(db, key: user.rawValue)?.account else {
                throw CardexError.notFound("the account no longer exists")
            }
            let members = try GroupMemberRecord.filter(GroupMemberRecord.Columns.groupID == invitation.groupId).fetchCount(db)
            guard members < policy.maxMembers else {
                throw CardexError.resourceExhausted("the group has \(members) members, the most allowed", retryAfterSeconds: 0)
            }
            let me = GroupMember(user: user, phone: account.phone, role: .member, tag: invitation.tag, joinedAt: now)
            try GroupMemberRecord(groupID: invitation.groupId, me).insert(db)
            _ = try invitation.delete(db)

            let (membership, directory) = try Self.directory(of: invitation.groupId, for: user, includeSelf: false, db)
            try log.append(.inboxItemRemoved(itemID: id, reason: .accepted), to: user, db)
            try log.append(.groupJoined(membership), to: user, db)
            let card = try Self.currentCard(of: user, db)
            for other in try Self.members(of: invitation.groupId, db) where other.user != user && other.sees(me) {
                let entry = DirectoryEntry(member: me, card: Self.groupView(of: card, owner: user, reader: other.user, group: invitation.groupId))
                try log.append(.memberJoined(groupID: invitation.groupId, entry), to: other.user, db)
            }
            return (membership, directory)
        }
    }

    public func declineInvitation(_ id: String, by user: UserID, now: Date) async throws {
        try await writeWithEvents(now: now) { db, log in
            _ = try Self.inboxInvitation(id, of: user, db).delete(db)
            try log.append(.inboxItemRemoved(itemID: id, reason: .declined), to: user, db)
        }
    }

    public func directory(of groupID: String, for user: UserID, includeSelf: Bool) async throws -> (GroupMembership, [DirectoryEntry]) {
        try await pool.read { db in try Self.directory(of: groupID, for: user, includeSelf: includeSelf, db) }
    }

    public func members(of groupID: String, seenBy user: UserID) async throws -> [GroupMember] {
        try await pool.read { db in try Self.members(of: groupID, seenBy: Self.membership(in: groupID, of: user, db).me, db) }
    }

    /// The other members `me` sees in the group.
    static func members(of groupID: String, seenBy me: GroupMember, _ db: Database) throws -> [GroupMember] {
        try members(of: groupID, db).filter { $0.user != me.user && me.sees($0) }
    }

    public func removeMember(_ member: UserID, from groupID: String, by user: UserID, now: Date) async throws {
        try await writeWithEvents(now: now) { db, log in
            let me = try Self.membership(in: groupID, of: user, db).me
            guard let target = try Self.member(member, in: groupID, db) else {
                throw CardexError.notFound("\(member) is not a member of this group")
            }
            guard me.role.administers, me.role > target.role else {
                throw CardexError.permissionDenied(
                    target.role == .owner ? "the owner cannot be removed: the owner deletes the group instead"
                        : "only the owner, or an admin for members, removes someone from a group")
            }
            try Self.endMembership(of: target, in: groupID, .removed, log: &log, db)
        }
    }

    public func changeMember(
        _ member: UserID, in groupID: String, _ change: MemberChange, by user: UserID, now: Date
    ) async throws -> DirectoryEntry {
        try await writeWithEvents(now: now) { db, _ in
            let me = try Self.membership(in: groupID, of: user, db).me
            guard var target = try Self.member(member, in: groupID, db) else {
                throw CardexError.notFound("\(member) is not a member of this group")
            }
            if let tag = change.tag {
                guard me.role.administers, me.role > target.role || target.user == me.user else {
                    throw CardexError.permissionDenied("only the owner, or an admin for members, changes tags")
                }
                target.tag = tag
            }
            if let admin = change.admin {
                guard me.role == .owner, target.role != .owner else {
                    throw CardexError.permissionDenied("only the owner names or removes admins")
                }
                target.role = admin ? .admin : .member
            }
            try GroupMemberRecord(groupID: groupID, target).update(db)
            return DirectoryEntry(
                member: target, card: Self.groupView(of: try Self.currentCard(of: member, db), owner: member, reader: user, group: groupID))
        }
    }

    public func leaveGroup(_ groupID: String, user: UserID, now: Date) async throws {
        try await writeWithEvents(now: now) { db, log in
            let me = try Self.membership(in: groupID, of: user, db).me
            guard me.role != .owner else {
                throw CardexError.failedPrecondition("the owner cannot leave the group: delete it instead")
            }
            try Self.endMembership(of: me, in: groupID, .left, log: &log, db)
        }
    }

    public func deleteGroup(_ groupID: String, by user: UserID, now: Date) async throws {
        try await writeWithEvents(now: now) { db, log in
            guard try Self.membership(in: groupID, of: user, db).me.role == .owner else {
                throw CardexError.permissionDenied("only the group's owner deletes it")
            }
            try Self.deleteGroup(groupID, log: &log, db)
        }
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
