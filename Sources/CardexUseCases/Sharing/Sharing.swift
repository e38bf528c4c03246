import CardexCore
import Foundation

/// One call that shares a card (or forwards an entry) inside its transaction: resolves each
/// recipient, replaces their unanswered share, and delivers by their state (``Delivery``).
struct Sharing {
    let changes: Changes
    let sender: Account
    let fields: FieldSelection
    let policy: SharingPolicy
    let presence: any Presence
    /// The address-book entry forwarded, or `nil` when the sender shares their own card.
    let entry: BookEntry?
    /// Share ids already made in this call, so a person named twice gets one share.
    private var made: [String: String] = [:]

    init(changes: Changes, sender: Account, fields: FieldSelection, policy: SharingPolicy, presence: any Presence, entry: BookEntry? = nil) {
        self.changes = changes
        self.sender = sender
        self.fields = fields
        self.policy = policy
        self.presence = presence
        self.entry = entry
    }

    private var transaction: any WriteTransaction { changes.transaction }

    /// Shares with one recipient and returns the share's id.
    mutating func share(with recipient: ShareRecipient) async throws -> String {
        let account: Account?
        let phone: PhoneNumber?
        switch recipient {
        case .everyone where entry != nil:
            throw CardexError.invalidArgument("an address-book entry is forwarded to people, not to everyone")
        case .everyone:
            return try await shareWithEveryone()
        case .user(let id):
            guard let found = try await transaction.account(id) else {
                throw CardexError.notFound("no user \(id): check the id, or share by phone number")
            }
            (account, phone) = (found, nil)
        case .phone(let number):
            (account, phone) = (try await transaction.account(phone: number), number)
        }
        if account?.userID == sender.userID || phone == sender.phone {
            throw CardexError.invalidArgument("you cannot share your card with yourself")
        }
        let key = account?.userID.rawValue ?? phone?.e164 ?? ""
        if let id = made[key] { return id }

        if entry == nil { try await replaceUnanswered(to: Self.target(account, phone)) }
        try await checkUnansweredLimit()
        var online = false
        if let account { online = try await presence.isOnline(account.userID, reading: transaction) }
        let delivery = Delivery.decide(account: account, online: online)
        let share = StoredShare(
            id: UUID().uuidString.lowercased(), owner: sender.userID, recipientUser: account?.userID, recipientPhone: phone,
            fields: fields, state: delivery.entersInbox ? .delivered : .waiting, createdAt: changes.now,
            deliveredAt: delivery.entersInbox ? changes.now : nil, entry: entry)
        try await transaction.insertShare(share)
        made[key] = share.id

        let senderName = try await self.senderName(for: share)
        let what = entry == nil ? "shared a contact card with you" : "forwarded a contact to you"
        switch delivery {
        case .inviteAndWait:
            guard let phone else { break }
            try await notify(.invitation, to: phone, "\(senderName) \(what) on Cardex. Register with this number to receive it.")
        case .askToEnableAndWait:
            guard let account else { break }
            let waiting = try await transaction.shareCount(to: account.userID, in: .waiting)
            try await changes.append(.sharesWaiting(count: waiting), to: account.userID)
            try await notify(.notice, to: account.phone, "\(senderName) \(what). Turn on your Cardex cloud address book to receive it.")
        case .inboxAndNotice:
            guard let account else { break }
            try await changes.append(.shareReceived(try await transaction.inboxEntry(for: share)), to: account.userID)
            try await notify(.notice, to: account.phone, "\(senderName) \(what). Open Cardex to accept or decline it.")
        case .inboxAndPush:
            guard let account else { break }
            try await changes.append(.shareReceived(try await transaction.inboxEntry(for: share)), to: account.userID)
        }
        return share.id
    }

    /// Shares with the holder of `phone` unless they already hold or were offered the sender's
    /// card, and unless the sender's unanswered shares are at the limit. Returns whether it shared.
    mutating func shareIfNew(with phone: PhoneNumber) async throws -> Bool {
        let account = try await transaction.account(phone: phone)
        let offered = try await transaction.cardShares(
            of: sender.userID, to: Self.target(account, phone), in: [.waiting, .delivered, .accepted])
        guard offered.isEmpty, try await transaction.unansweredShareCount(of: sender.userID) < policy.maxUnansweredShares else {
            return false
        }
        _ = try await share(with: .phone(phone))
        return true
    }

    /// A public share replaces the sender's earlier one.
    private mutating func shareWithEveryone() async throws -> String {
        if let id = made["everyone"] { return id }
        try await transaction.deletePublicShares(of: sender.userID)
        let share = StoredShare(
            id: UUID().uuidString.lowercased(), owner: sender.userID, recipientUser: nil, recipientPhone: nil, fields: fields,
            state: .public, createdAt: changes.now, deliveredAt: nil, entry: nil)
        try await transaction.insertShare(share)
        made["everyone"] = share.id
        return share.id
    }

    /// An unanswered (or declined) share from the sender to the same person is replaced by the new one.
    private func replaceUnanswered(to target: ShareTarget) async throws {
        for share in try await transaction.cardShares(of: sender.userID, to: target, in: [.waiting, .delivered, .declined]) {
            try await Withdrawal.withdraw(share, changes)
            try await transaction.deleteShare(share.id)
        }
    }

    private func checkUnansweredLimit() async throws {
        let unanswered = try await transaction.unansweredShareCount(of: sender.userID)
        guard unanswered < policy.maxUnansweredShares else {
            throw CardexError.resourceExhausted(
                "you have \(unanswered) shares waiting for an answer, the most allowed: revoke some (ListShares shows them) or wait for answers",
                retryAfterSeconds: 0)
        }
    }

    /// The sender's name as the recipient may see it through this share, for message texts.
    private func senderName(for share: StoredShare) async throws -> String {
        let card = try await transaction.currentCard(of: sender.userID)
        // A forward grants nothing of the sender's card, so its message names them only if public.
        let relation = Relation(reader: share.recipientUser ?? UserID(rawValue: ""), granted: entry == nil ? share.fields : nil)
        return card?.card.visible(to: relation).first { $0.kind == .name }?.value ?? "A Cardex user"
    }

    private func notify(_ kind: OutboxMessage.Kind, to phone: PhoneNumber, _ body: String) async throws {
        try await changes.notify(kind, to: phone, body, interval: policy.noticeInterval)
    }

    /// The sender's shares with one person: by user id once registered, by number before.
    private static func target(_ account: Account?, _ phone: PhoneNumber?) -> ShareTarget {
        if let account { .user(account.userID) } else { .unregistered(phone ?? PhoneNumber(e164: "")) }
    }
}
