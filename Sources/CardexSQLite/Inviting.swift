import CardexCore
import Foundation
import GRDB

/// One ``SQLiteStore/invite(_:to:by:presence:policy:sharing:now:)`` call inside its transaction:
/// resolves each invitee and delivers the invitation as a share is delivered.
struct Inviting {
    let db: Database
    let group: Group
    let inviter: UserID
    let presence: any Presence
    let policy: GroupPolicy
    let sharing: SharingPolicy
    let now: Date

    /// Invites one person and returns the invitation's id. A newer invitation to the same person
    /// replaces an unanswered one.
    mutating func invite(_ invitee: Invitee, log: inout EventLog) throws -> String {
        let account: Account?
        let phone: PhoneNumber
        switch invitee.person {
        case .everyone:
            throw CardexError.invalidArgument("invite people by phone number or user id")
        case .user(let id):
            guard let found = try UserRecord.fetchOne(db, key: id.rawValue)?.account else {
                throw CardexError.notFound("no user \(id): check the id, or invite by phone number")
            }
            (account, phone) = (found, found.phone)
        case .phone(let number):
            (account, phone) = (try UserRecord.filter(UserRecord.Columns.phone == number.e164).fetchOne(db)?.account, number)
        }
        if let account, try SQLiteStore.member(account.userID, in: group.id, db) != nil {
            throw CardexError.alreadyExists("\(invitee.person.description) is already a member of this group")
        }
        let samePerson: SQLExpression =
            if let account { GroupInvitationRecord.Columns.inviteeUserID == account.userID.rawValue }
            else { GroupInvitationRecord.Columns.inviteeUserID == nil && GroupInvitationRecord.Columns.inviteePhone == phone.e164 }
        let invitations = GroupInvitationRecord.filter(GroupInvitationRecord.Columns.groupID == group.id)
        for earlier in try invitations.filter(samePerson).fetchAll(db) {
            _ = try earlier.delete(db)
            if let invitee = earlier.inviteeUserId {
                try log.append(.inboxItemRemoved(itemID: earlier.id, reason: .withdrawn), to: UserID(rawValue: invitee), db)
            }
        }
        let pending = try invitations.fetchCount(db)
        guard pending < policy.maxPendingInvitations else {
            throw CardexError.resourceExhausted(
                "the group has \(pending) invitations waiting for an answer, the most allowed", retryAfterSeconds: 0)
        }
        let record = GroupInvitationRecord(
            id: UUID().uuidString.lowercased(), groupId: group.id, inviterId: inviter.rawValue,
            inviteeUserId: account?.userID.rawValue, inviteePhone: phone.e164, tag: invitee.tag,
            createdAt: now, deliveredAt: account == nil ? nil : now)
        try record.insert(db)

        if let account {
            try log.append(.invitationReceived(try SQLiteStore.invitation(record, db)), to: account.userID, db)
            if !presence.isOnline(account.userID) {
                try notice(.notice, to: phone, "You are invited to the Cardex group \"\(group.name)\". Open Cardex to join or decline.")
            }
        } else {
            try notice(.invitation, to: phone, "You are invited to the Cardex group \"\(group.name)\". Register with this number to join.")
        }
        return record.id
    }

    private func notice(_ kind: OutboxMessage.Kind, to phone: PhoneNumber, _ body: String) throws {
        try Notices.queue(kind, to: phone, body, interval: sharing.noticeInterval, now: now, db)
    }
}
