import CardexCore
import Foundation

/// One call that invites people to a group, inside its transaction: resolves each invitee and
/// delivers the invitation as a share is delivered.
struct Inviting {
    let changes: Changes
    let group: Group
    let inviter: UserID
    let presence: any Presence
    let policy: GroupPolicy
    let sharing: SharingPolicy

    private var transaction: any WriteTransaction { changes.transaction }

    /// Invites one person and returns the invitation's id. A newer invitation to the same person
    /// replaces an unanswered one.
    func invite(_ invitee: Invitee) async throws -> String {
        let account: Account?
        let phone: PhoneNumber
        switch invitee.person {
        case .everyone:
            throw CardexError.invalidArgument("invite people by phone number or user id")
        case .user(let id):
            guard let found = try await transaction.account(id) else {
                throw CardexError.notFound("no user \(id): check the id, or invite by phone number")
            }
            (account, phone) = (found, found.phone)
        case .phone(let number):
            (account, phone) = (try await transaction.account(phone: number), number)
        }
        if let account, try await transaction.member(account.userID, in: group.id) != nil {
            throw CardexError.alreadyExists("\(invitee.person.description) is already a member of this group")
        }
        let target: ShareTarget = account.map { .user($0.userID) } ?? .unregistered(phone)
        for earlier in try await transaction.invitations(in: group.id, to: target) {
            try await transaction.deleteInvitation(earlier.id)
            if let invitee = earlier.inviteeUser {
                try await changes.append(.inboxItemRemoved(itemID: earlier.id, reason: .withdrawn), to: invitee)
            }
        }
        let pending = try await transaction.invitations(in: group.id, to: nil).count
        guard pending < policy.maxPendingInvitations else {
            throw CardexError.resourceExhausted(
                "the group has \(pending) invitations waiting for an answer, the most allowed", retryAfterSeconds: 0)
        }
        let invitation = StoredInvitation(
            id: UUID().uuidString.lowercased(), groupID: group.id, inviter: inviter, inviteeUser: account?.userID,
            inviteePhone: phone, tag: invitee.tag, createdAt: changes.now, deliveredAt: account == nil ? nil : changes.now)
        try await transaction.insertInvitation(invitation)

        if let account {
            try await changes.append(.invitationReceived(Self.inboxItem(invitation, groupName: group.name)), to: account.userID)
            if try await !presence.isOnline(account.userID, reading: transaction) {
                try await notify(.notice, to: phone, "You are invited to the Cardex group \"\(group.name)\". Open Cardex to join or decline.")
            }
        } else {
            try await notify(.invitation, to: phone, "You are invited to the Cardex group \"\(group.name)\". Register with this number to join.")
        }
        return invitation.id
    }

    /// The inbox item of an invitation.
    static func inboxItem(_ invitation: StoredInvitation, groupName: String) -> GroupInvitation {
        GroupInvitation(
            id: invitation.id, groupID: invitation.groupID, groupName: groupName, inviter: invitation.inviter,
            receivedAt: invitation.deliveredAt ?? invitation.createdAt)
    }

    private func notify(_ kind: OutboxMessage.Kind, to phone: PhoneNumber, _ body: String) async throws {
        try await changes.notify(kind, to: phone, body, interval: sharing.noticeInterval)
    }
}
