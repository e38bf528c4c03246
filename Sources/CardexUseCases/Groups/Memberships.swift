import CardexCore

/// Memberships as rules see them: who is a member (NOT_FOUND otherwise, so a group's existence
/// does not leak), what a member sees of others, and how a membership or a group ends.
enum Memberships {
    /// The caller's membership, or NOT_FOUND: non-members cannot tell a group exists.
    static func membership(in groupID: String, of user: UserID, _ transaction: any ReadTransaction) async throws -> GroupMembership {
        guard let me = try await transaction.member(user, in: groupID), let group = try await transaction.group(groupID) else {
            throw CardexError.notFound("you are in no group \"\(groupID.prefix(64))\"; ListGroups shows yours")
        }
        return GroupMembership(group: group, me: me, memberCount: try await transaction.memberCount(of: groupID))
    }

    /// The other members `me` sees in the group.
    static func members(of groupID: String, seenBy me: GroupMember, _ transaction: any ReadTransaction) async throws -> [GroupMember] {
        try await transaction.members(of: groupID).filter { $0.user != me.user && me.sees($0) }
    }

    /// A member's card as another member sees it in a group: the fields whose audience includes
    /// the group, or everyone.
    static func groupView(of card: StoredCard?, owner: UserID, reader: UserID, group: String) -> CardView {
        CardView(owner: owner, card: card, relation: Relation(reader: reader, isOwner: reader == owner, commonGroups: [group]))
    }

    /// The members `user` sees in the group (and `user`, with `includeSelf`), each with the card
    /// fields the group shows.
    static func directory(
        of groupID: String, for user: UserID, includeSelf: Bool, _ transaction: any ReadTransaction
    ) async throws -> (GroupMembership, [DirectoryEntry]) {
        let membership = try await membership(in: groupID, of: user, transaction)
        var entries: [DirectoryEntry] = []
        for (member, card) in try await transaction.membersWithCards(of: groupID) {
            guard membership.me.sees(member), includeSelf || member.user != user else { continue }
            entries.append(DirectoryEntry(member: member, card: groupView(of: card, owner: member.user, reader: user, group: groupID)))
        }
        return (membership, entries)
    }

    /// The cards a change to one member (joining, a new tag or role, leaving) may show or hide:
    /// the member's view of each other member, and each other member's view of the member, read
    /// before the change. ``announce(_:)``, after it, tells every reader whose view changed:
    /// the card as they may see it now, or `access_removed` when they see nothing of it any
    /// more. Their devices and delta sync then hold what a full sync would list.
    struct ViewsAround {
        private let pairs: [(reader: UserID, owner: UserID)]
        private let before: [CardView]

        init(_ member: UserID, in groupID: String, _ transaction: any ReadTransaction) async throws {
            let others = try await transaction.members(of: groupID).map(\.user).filter { $0 != member }
            pairs = others.flatMap { [(reader: member, owner: $0), (reader: $0, owner: member)] }
            var before: [CardView] = []
            for (reader, owner) in pairs { before.append(try await transaction.view(of: owner, for: reader)) }
            self.before = before
        }

        func announce(_ changes: Changes) async throws {
            var events: [NewEvent] = []
            for ((reader, owner), earlier) in zip(pairs, before) {
                let now = try await changes.transaction.view(of: owner, for: reader)
                guard now != earlier else { continue }
                events.append(NewEvent(now.fields.isEmpty ? .accessRemoved(owner: owner) : .cardUpdated(now), to: reader))
            }
            try await changes.append(events)
        }
    }

    /// Takes a member out of a group and tells them and the members who saw them, and every
    /// reader whose view of a card changed (``ViewsAround``).
    static func end(_ member: GroupMember, in groupID: String, _ end: MembershipEnd, _ changes: Changes) async throws {
        let transaction = changes.transaction
        let views = try await ViewsAround(member.user, in: groupID, transaction)
        try await transaction.deleteMember(member.user, from: groupID)
        try await changes.append(.membershipEnded(groupID: groupID, end), to: member.user)
        try await views.announce(changes)
        let others = try await transaction.members(of: groupID).filter { $0.sees(member) }
        try await changes.append(others.map { NewEvent(.memberLeft(groupID: groupID, user: member.user), to: $0.user) })
    }

    /// Deletes a group, telling its members and the invitees who have it in their inbox.
    static func deleteGroup(_ groupID: String, _ changes: Changes) async throws {
        let transaction = changes.transaction
        var notices = try await transaction.members(of: groupID).map { NewEvent(.membershipEnded(groupID: groupID, .groupDeleted), to: $0.user) }
        for invitation in try await transaction.invitations(in: groupID, to: nil) {
            guard let invitee = invitation.inviteeUser else { continue }  // still waiting for the number
            notices.append(NewEvent(.inboxItemRemoved(itemID: invitation.id, reason: .withdrawn), to: invitee))
        }
        try await changes.append(notices)
        try await transaction.deleteGroup(groupID)
    }

    /// Delivers the invitations that waited for `account`'s number (one to a group the account
    /// is already in is dropped).
    static func deliverWaitingInvitations(to account: Account, _ changes: Changes) async throws {
        let transaction = changes.transaction
        for var invitation in try await transaction.waitingInvitations(to: account.phone) {
            if try await transaction.member(account.userID, in: invitation.groupID) != nil {
                try await transaction.deleteInvitation(invitation.id)
                continue
            }
            invitation.inviteeUser = account.userID
            invitation.deliveredAt = changes.now
            try await transaction.updateInvitation(invitation)
            let name = try await transaction.group(invitation.groupID)?.name ?? ""
            try await changes.append(.invitationReceived(Inviting.inboxItem(invitation, groupName: name)), to: account.userID)
        }
    }
}
