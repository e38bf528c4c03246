import CardexCore
import Foundation

/// Groups (patent CN102984213A): shared address books built by invitation and acceptance, with
/// permission tags.
///
/// Every method is one transaction and appends the events that tell members what changed.
/// Methods naming a group throw ``CardexError/notFound(_:)`` unless the caller is a member, so
/// non-members cannot learn that a group exists.
public struct Groups: Sendable {
    let store: UseCaseStore
    let policy: GroupPolicy
    let sharing: SharingPolicy
    let presence: any Presence

    /// Creates the use cases.
    public init(store: UseCaseStore, policy: GroupPolicy, sharing: SharingPolicy, presence: any Presence) {
        self.store = store
        self.policy = policy
        self.sharing = sharing
        self.presence = presence
    }

    /// Creates a group owned by `owner`, its only member.
    /// - Throws: ``CardexError/resourceExhausted(_:retryAfterSeconds:)`` past ``GroupPolicy/maxOwnedGroups``.
    public func create(named name: String, by owner: UserID, now: Date) async throws -> GroupMembership {
        let policy = policy
        return try await store.write(now: now) { changes in
            let transaction = changes.transaction
            guard let account = try await transaction.account(owner) else {
                throw CardexError.notFound("the account no longer exists")
            }
            let owned = try await transaction.ownedGroupCount(of: owner)
            guard owned < policy.maxOwnedGroups else {
                throw CardexError.resourceExhausted("you own \(owned) groups, the most allowed: delete one first", retryAfterSeconds: 0)
            }
            let group = Group(id: UUID().uuidString.lowercased(), name: name, owner: owner, createdAt: now)
            try await transaction.insertGroup(group)
            let me = GroupMember(user: owner, phone: account.phone, role: .owner, tag: nil, joinedAt: now)
            try await transaction.insertMember(me, in: group.id)
            return GroupMembership(group: group, me: me, memberCount: 1)
        }
    }

    /// Invites people, delivering like shares: an unregistered number waits for registration and
    /// gets an invitation message; a registered person gets it in the inbox (and a notice when
    /// offline). Returns the invitation ids in order.
    /// - Throws: ``CardexError/permissionDenied(_:)`` unless the caller is the owner or an admin.
    public func invite(_ invitees: [Invitee], to groupID: String, by inviter: UserID, now: Date) async throws -> [String] {
        let (policy, sharing, presence) = (policy, sharing, presence)
        return try await store.write(now: now) { changes in
            let membership = try await Memberships.membership(in: groupID, of: inviter, changes.transaction)
            guard membership.me.role.administers else {
                throw CardexError.permissionDenied("only the group's owner and admins invite")
            }
            let inviting = Inviting(
                changes: changes, group: membership.group, inviter: inviter, presence: presence, policy: policy, sharing: sharing)
            var ids: [String] = []
            for invitee in invitees { ids.append(try await inviting.invite(invitee)) }
            return ids
        }
    }

    /// The groups the person belongs to, oldest membership first.
    public func groups(of user: UserID) async throws -> [GroupMembership] {
        try await store.read { transaction in
            var memberships: [GroupMembership] = []
            for id in try await transaction.groupIDs(of: user) {
                memberships.append(try await Memberships.membership(in: id, of: user, transaction))
            }
            return memberships
        }
    }

    /// The invitations waiting for the person's answer, oldest first.
    public func invitations(of user: UserID) async throws -> [GroupInvitation] {
        try await store.read { transaction in
            var items: [GroupInvitation] = []
            for invitation in try await transaction.invitations(to: user) {
                let name = try await transaction.group(invitation.groupID)?.name ?? ""
                items.append(Inviting.inboxItem(invitation, groupName: name))
            }
            return items
        }
    }

    /// Joins the group of an invitation: the person's user id and phone are recorded in it.
    /// Returns the group and the members the person sees.
    public func accept(_ id: String, by user: UserID, now: Date) async throws -> (GroupMembership, [DirectoryEntry]) {
        let policy = policy
        return try await store.write(now: now) { changes in
            let transaction = changes.transaction
            let invitation = try await Self.inboxInvitation(id, of: user, transaction)
            guard let account = try await transaction.account(user) else {
                throw CardexError.notFound("the account no longer exists")
            }
            let members = try await transaction.memberCount(of: invitation.groupID)
            guard members < policy.maxMembers else {
                throw CardexError.resourceExhausted("the group has \(members) members, the most allowed", retryAfterSeconds: 0)
            }
            let me = GroupMember(user: user, phone: account.phone, role: .member, tag: invitation.tag, joinedAt: now)
            let views = try await Memberships.ViewsAround(user, in: invitation.groupID, transaction)
            try await transaction.insertMember(me, in: invitation.groupID)
            try await transaction.deleteInvitation(id)

            let (membership, directory) = try await Memberships.directory(of: invitation.groupID, for: user, includeSelf: false, transaction)
            try await changes.append(.inboxItemRemoved(itemID: id, reason: .accepted), to: user)
            try await changes.append(.groupJoined(membership), to: user)
            let card = try await transaction.currentCard(of: user)
            var joined: [NewEvent] = []
            for other in try await transaction.members(of: invitation.groupID) where other.user != user && other.sees(me) {
                let view = Memberships.groupView(of: card, owner: user, reader: other.user, group: invitation.groupID)
                joined.append(NewEvent(.memberJoined(groupID: invitation.groupID, DirectoryEntry(member: me, card: view)), to: other.user))
            }
            try await changes.append(joined)
            try await views.announce(changes)
            return (membership, directory)
        }
    }

    /// Deletes an invitation (patent CN102984213A [0069]).
    public func decline(_ id: String, by user: UserID, now: Date) async throws {
        try await store.write(now: now) { changes in
            _ = try await Self.inboxInvitation(id, of: user, changes.transaction)
            try await changes.transaction.deleteInvitation(id)
            try await changes.append(.inboxItemRemoved(itemID: id, reason: .declined), to: user)
        }
    }

    /// The other members `user` sees in the group, without their cards.
    public func members(of groupID: String, seenBy user: UserID) async throws -> [GroupMember] {
        try await store.read { transaction in
            try await Memberships.members(of: groupID, seenBy: Memberships.membership(in: groupID, of: user, transaction).me, transaction)
        }
    }

    /// The members `user` sees, each with the card fields whose audience includes the group.
    public func directory(of groupID: String, for user: UserID, includeSelf: Bool) async throws -> (GroupMembership, [DirectoryEntry]) {
        try await store.read { transaction in
            try await Memberships.directory(of: groupID, for: user, includeSelf: includeSelf, transaction)
        }
    }

    /// Removes a member.
    /// - Throws: ``CardexError/permissionDenied(_:)`` unless the caller administers the group and
    ///   outranks the member.
    public func remove(_ member: UserID, from groupID: String, by user: UserID, now: Date) async throws {
        try await store.write(now: now) { changes in
            let me = try await Memberships.membership(in: groupID, of: user, changes.transaction).me
            guard let target = try await changes.transaction.member(member, in: groupID) else {
                throw CardexError.notFound("\(member) is not a member of this group")
            }
            guard me.role.administers, me.role > target.role else {
                throw CardexError.permissionDenied(
                    target.role == .owner
                        ? "the owner cannot be removed: the owner deletes the group instead"
                        : "only the owner, or an admin for members, removes someone from a group")
            }
            try await Memberships.end(target, in: groupID, .removed, changes)
        }
    }

    /// Changes a member's tag or admin role.
    /// - Throws: ``CardexError/permissionDenied(_:)`` unless the caller may.
    public func change(
        _ member: UserID, in groupID: String, _ change: MemberChange, by user: UserID, now: Date
    ) async throws
        -> DirectoryEntry
    {
        try await store.write(now: now) { changes in
            let transaction = changes.transaction
            let me = try await Memberships.membership(in: groupID, of: user, transaction).me
            guard var target = try await transaction.member(member, in: groupID) else {
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
            let views = try await Memberships.ViewsAround(member, in: groupID, transaction)
            try await transaction.updateMember(target, in: groupID)
            try await views.announce(changes)
            let card = try await transaction.currentCard(of: member)
            return DirectoryEntry(member: target, card: Memberships.groupView(of: card, owner: member, reader: user, group: groupID))
        }
    }

    /// Leaves a group.
    /// - Throws: ``CardexError/failedPrecondition(_:)`` for the owner.
    public func leave(_ groupID: String, user: UserID, now: Date) async throws {
        try await store.write(now: now) { changes in
            let me = try await Memberships.membership(in: groupID, of: user, changes.transaction).me
            guard me.role != .owner else {
                throw CardexError.failedPrecondition("the owner cannot leave the group: delete it instead")
            }
            try await Memberships.end(me, in: groupID, .left, changes)
        }
    }

    /// Deletes a group.
    /// - Throws: ``CardexError/permissionDenied(_:)`` unless the caller owns it.
    public func delete(_ groupID: String, by user: UserID, now: Date) async throws {
        try await store.write(now: now) { changes in
            guard try await Memberships.membership(in: groupID, of: user, changes.transaction).me.role == .owner else {
                throw CardexError.permissionDenied("only the group's owner deletes it")
            }
            try await Memberships.deleteGroup(groupID, changes)
        }
    }

    private static func inboxInvitation(_ id: String, of user: UserID, _ transaction: any ReadTransaction) async throws -> StoredInvitation {
        guard let invitation = try await transaction.invitation(id), invitation.inviteeUser == user else {
            throw CardexError.notFound("no invitation \"\(id.prefix(64))\"; ListInvitations shows yours")
        }
        return invitation
    }
}
