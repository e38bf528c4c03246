import CardexCore
import Foundation
import GRDB

/// One ``SQLiteStore/share(fields:of:with:presence:policy:now:)`` call inside its transaction:
/// resolves each recipient, replaces their unanswered share, and delivers by their state.
struct Sharing {
    let db: Database
    let sender: Account
    let fields: FieldSelection
    let policy: SharingPolicy
    let presence: any Presence
    let now: Date
    /// The address-book entry forwarded, or `nil` when the sender shares their own card.
    let entry: BookEntry?
    /// Share ids already made in this call, so a person named twice gets one share.
    private var made: [String: String] = [:]

    init(
        db: Database, sender: Account, fields: FieldSelection, policy: SharingPolicy, presence: any Presence, now: Date,
        entry: BookEntry? = nil
    ) {
        self.db = db
        self.sender = sender
        self.fields = fields
        self.policy = policy
        self.presence = presence
        self.now = now
        self.entry = entry
    }

    /// Shares with one recipient and returns the share's id.
    mutating func share(with recipient: ShareRecipient, log: inout EventLog) throws -> String {
        let account: Account?
        let phone: PhoneNumber?
        switch recipient {
        case .everyone where entry != nil:
            throw CardexError.invalidArgument("an address-book entry is forwarded to people, not to everyone")
        case .everyone:
            return try shareWithEveryone()
        case .user(let id):
            guard let found = try UserRecord.fetchOne(db, key: id.rawValue)?.account else {
                throw CardexError.notFound("no user \(id): check the id, or share by phone number")
            }
            (account, phone) = (found, nil)
        case .phone(let number):
            (account, phone) = (try UserRecord.filter(UserRecord.Columns.phone == number.e164).fetchOne(db)?.account, number)
        }
        if account?.userID == sender.userID || phone == sender.phone {
            throw CardexError.invalidArgument("you cannot share your card with yourself")
        }
        let key = account?.userID.rawValue ?? phone?.e164 ?? ""
        if let id = made[key] { return id }

        if entry == nil { try replaceUnanswered(to: account, phone: phone, log: &log) }
        try checkUnansweredLimit()
        let delivery = Delivery.decide(account: account, online: account.map { presence.isOnline($0.userID) } ?? false)
        let share = ShareRecord(
            id: UUID().uuidString.lowercased(), ownerId: sender.userID.rawValue, recipientUserId: account?.userID.rawValue,
            recipientPhone: phone?.e164, fields: fields,
            state: delivery.entersInbox ? .delivered : .waiting, createdAt: now, deliveredAt: delivery.entersInbox ? now : nil,
            entry: entry)
        try share.insert(db)
        made[key] = share.id

        let senderName = try self.senderName(for: share)
        let what = entry == nil ? "shared a contact card with you" : "forwarded a contact to you"
        switch delivery {
        case .inviteAndWait:
            guard let phone else { break }
            try queue(.invitation, to: phone, "\(senderName) \(what) on Cardex. Register with this number to receive it.")
        case .askToEnableAndWait:
            guard let account else { break }
            let waiting = try ShareRecord
                .filter(ShareRecord.Columns.recipientUserID == account.userID.rawValue && ShareRecord.Columns.state == ShareRecord.State.waiting.rawValue)
                .fetchCount(db)
            try log.append(.sharesWaiting(count: waiting), to: account.userID, db)
            try queue(.notice, to: account.phone, "\(senderName) \(what). Turn on your Cardex cloud address book to receive it.")
        case .inboxAndNotice:
            guard let account else { break }
            try log.append(.shareReceived(try SQLiteStore.inboxEntry(for: share, db)), to: account.userID, db)
            try queue(.notice, to: account.phone, "\(senderName) \(what). Open Cardex to accept or decline it.")
        case .inboxAndPush:
            guard let account else { break }
            try log.append(.shareReceived(try SQLiteStore.inboxEntry(for: share, db)), to: account.userID, db)
        }
        return share.id
    }

    /// Shares with the holder of `phone` unless they already hold or were offered the sender's
    /// card, and unless the sender's unanswered shares are at the limit. Returns whether it shared.
    mutating func shareIfNew(with phone: PhoneNumber, log: inout EventLog) throws -> Bool {
        let account = try UserRecord.filter(UserRecord.Columns.phone == phone.e164).fetchOne(db)?.account
        let offered = try myCardShares(to: account, phone: phone)
            .filter((ShareRecord.unansweredStates + [ShareRecord.State.accepted.rawValue]).contains(ShareRecord.Columns.state))
            .fetchCount(db) > 0
        guard !offered, try unansweredCount() < policy.maxUnansweredShares else { return false }
        _ = try share(with: .phone(phone), log: &log)
        return true
    }

    /// A public share replaces the sender's earlier one.
    private mutating func shareWithEveryone() throws -> String {
        if let id = made["everyone"] { return id }
        try ShareRecord
            .filter(ShareRecord.Columns.ownerID == sender.userID.rawValue && ShareRecord.Columns.state == ShareRecord.State.public.rawValue)
            .deleteAll(db)
        let share = ShareRecord(
            id: UUID().uuidString.lowercased(), ownerId: sender.userID.rawValue, recipientUserId: nil, recipientPhone: nil,
            fields: fields, state: .public, createdAt: now, deliveredAt: nil, entry: nil)
        try share.insert(db)
        made["everyone"] = share.id
        return share.id
    }

    /// An unanswered (or declined) share from the sender to the same person is replaced by the new one.
    private func replaceUnanswered(to account: Account?, phone: PhoneNumber?, log: inout EventLog) throws {
        let earlier = try myCardShares(to: account, phone: phone)
            .filter((ShareRecord.unansweredStates + [ShareRecord.State.declined.rawValue]).contains(ShareRecord.Columns.state))
            .fetchAll(db)
        for share in earlier {
            try SQLiteStore.withdraw(share, log: &log, db)
            _ = try share.delete(db)
        }
    }

    /// The sender's shares of their card with one person: by user id once registered, by number before.
    private func myCardShares(to account: Account?, phone: PhoneNumber?) -> QueryInterfaceRequest<ShareRecord> {
        let samePerson: SQLExpression =
            if let account { ShareRecord.Columns.recipientUserID == account.userID.rawValue }
            else { ShareRecord.Columns.recipientUserID == nil && ShareRecord.Columns.recipientPhone == phone?.e164 }
        return ShareRecord.cardShares().filter(ShareRecord.Columns.ownerID == sender.userID.rawValue && samePerson)
    }

    private func unansweredCount() throws -> Int {
        try ShareRecord
            .filter(ShareRecord.Columns.ownerID == sender.userID.rawValue)
            .filter(ShareRecord.unansweredStates.contains(ShareRecord.Columns.state))
            .fetchCount(db)
    }

    private func checkUnansweredLimit() throws {
        let unanswered = try unansweredCount()
        guard unanswered < policy.maxUnansweredShares else {
            throw CardexError.resourceExhausted(
                "you have \(unanswered) shares waiting for an answer, the most allowed: revoke some (ListShares shows them) or wait for answers",
                retryAfterSeconds: 0)
        }
    }

    /// The sender's name as the recipient may see it through this share, for message texts.
    private func senderName(for share: ShareRecord) throws -> String {
        let card = try SQLiteStore.currentCard(of: sender.userID, db)
        // A forward grants nothing of the sender's card, so its message names them only if public.
        let relation = Relation(reader: UserID(rawValue: share.recipientUserId ?? ""), granted: entry == nil ? share.fields : nil)
        return card?.card.visible(to: relation).first { $0.kind == .name }?.value ?? "A Cardex user"
    }

    private func queue(_ kind: OutboxMessage.Kind, to phone: PhoneNumber, _ body: String) throws {
        try Notices.queue(kind, to: phone, body, interval: policy.noticeInterval, now: now, db)
    }
}
