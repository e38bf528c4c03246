import CardexCore
import Foundation

/// Sharing cards and forwarding entries, the inbox, and the consent that turns a share into a grant.
///
/// Every method is one transaction. Methods that change what someone may see append the events
/// that tell them, in the same transaction.
public struct Shares: Sendable {
    let store: UseCaseStore
    let policy: SharingPolicy
    /// Which people have a device online.
    let presence: any Presence

    /// Creates the use cases.
    public init(store: UseCaseStore, policy: SharingPolicy, presence: any Presence) {
        self.store = store
        self.policy = policy
        self.presence = presence
    }

    /// Shares `owner`'s card (the `fields` of it) with each recipient, delivering by the
    /// recipient's state (``Delivery``); a newer share to the same person replaces an unanswered
    /// older one. Returns the share ids in recipient order.
    /// - Throws: ``CardexError/invalidArgument(_:)`` for a recipient who is the owner or an
    ///   unknown user id; ``CardexError/resourceExhausted(_:retryAfterSeconds:)`` past
    ///   ``SharingPolicy/maxUnansweredShares``. Nothing is stored then.
    public func share(fields: FieldSelection, of owner: UserID, with recipients: [ShareRecipient], now: Date) async throws -> [String] {
        let (policy, presence) = (policy, presence)
        return try await store.write(now: now) { changes in
            let sender = try await Self.sender(owner, changes)
            var sharing = Sharing(changes: changes, sender: sender, fields: fields, policy: policy, presence: presence)
            var ids: [String] = []
            for recipient in recipients { ids.append(try await sharing.share(with: recipient)) }
            return ids
        }
    }

    /// Forwards the entry `entryID` of the owner's address book (as stored now) to each
    /// recipient, delivered as ``share(fields:of:with:now:)`` delivers. A forward grants nothing
    /// of the owner's card.
    /// - Throws: ``CardexError/notFound(_:)`` when the book has no such entry; otherwise as `share`.
    public func forward(entryID: String, of owner: UserID, to recipients: [ShareRecipient], now: Date) async throws -> [String] {
        let (policy, presence) = (policy, presence)
        return try await store.write(now: now) { changes in
            let sender = try await Self.sender(owner, changes)
            guard let entry = try await changes.transaction.bookEntry(entryID, of: owner) else {
                throw CardexError.notFound("your address book has no entry \"\(entryID.prefix(64))\"")
            }
            var sharing = Sharing(changes: changes, sender: sender, fields: .all, policy: policy, presence: presence, entry: entry)
            var ids: [String] = []
            for recipient in recipients { ids.append(try await sharing.share(with: recipient)) }
            return ids
        }
    }

    /// The owner's shares, newest first.
    public func shares(of owner: UserID) async throws -> [OutgoingShare] {
        try await store.read { transaction in try await transaction.shares(of: owner).map(\.outgoing) }
    }

    /// Withdraws one of the owner's shares.
    /// - Throws: ``CardexError/notFound(_:)`` unless the owner has such a share.
    public func revoke(_ id: String, of owner: UserID, now: Date) async throws {
        try await store.write(now: now) { changes in
            guard let share = try await changes.transaction.share(id), share.owner == owner else {
                throw CardexError.notFound("you have no share \"\(id.prefix(64))\"; ListShares shows yours")
            }
            try await Withdrawal.withdraw(share, changes)
            try await changes.transaction.deleteShare(id)
        }
    }

    /// The shares in the person's inbox, oldest first.
    public func inbox(of user: UserID) async throws -> [InboxEntry] {
        try await store.read { transaction in
            var entries: [InboxEntry] = []
            for share in try await transaction.shares(to: user, in: .delivered) {
                entries.append(try await transaction.inboxEntry(for: share))
            }
            return entries
        }
    }

    /// Accepts an inbox item: the sender's card enters the person's address book (a forwarded
    /// entry is added to it).
    /// - Throws: ``CardexError/notFound(_:)`` unless the item is in the person's inbox.
    public func accept(_ id: String, by user: UserID, now: Date) async throws -> AcceptedShare {
        try await store.write(now: now) { changes in
            let transaction = changes.transaction
            var share = try await Self.inboxShare(id, of: user, transaction)
            var added: BookEntry?
            if var entry = share.entry {
                entry.clientEntryID = "forwarded-\(id)"
                try await transaction.putBookEntry(entry, of: user, at: now)
                added = entry
            } else {
                // The newest accepted share from a person replaces the earlier one.
                try await transaction.deleteAcceptedCardShares(of: share.owner, heldBy: user)
            }
            share.state = .accepted
            try await transaction.updateShare(share)
            let view = try await transaction.view(of: share.owner, for: user)
            try await changes.append(.inboxItemRemoved(itemID: id, reason: .accepted), to: user)
            if added == nil { try await changes.append(.cardUpdated(view), to: user) }
            try await changes.append(.shareAccepted(shareID: id, by: user), to: share.owner)
            return AcceptedShare(card: view, addedEntry: added)
        }
    }

    /// Declines an inbox item, deleting it from the inbox.
    /// - Throws: ``CardexError/notFound(_:)`` unless the item is in the person's inbox.
    public func decline(_ id: String, by user: UserID, now: Date) async throws {
        try await store.write(now: now) { changes in
            var share = try await Self.inboxShare(id, of: user, changes.transaction)
            share.state = .declined
            try await changes.transaction.updateShare(share)
            try await changes.append(.inboxItemRemoved(itemID: id, reason: .declined), to: user)
        }
    }

    /// The cards of accepted shares, as the person may see them now.
    public func sharedCards(with user: UserID) async throws -> [CardView] {
        try await store.read { transaction in
            var views: [CardView] = []
            for owner in try await transaction.acceptedCardOwners(for: user) {
                views.append(try await transaction.view(of: owner, for: user))
            }
            return views
        }
    }

    private static func sender(_ owner: UserID, _ changes: Changes) async throws -> Account {
        guard let sender = try await changes.transaction.account(owner) else {
            throw CardexError.notFound("the account no longer exists")
        }
        return sender
    }

    private static func inboxShare(_ id: String, of user: UserID, _ transaction: any ReadTransaction) async throws -> StoredShare {
        guard let share = try await transaction.share(id), share.recipientUser == user, share.state == .delivered else {
            throw CardexError.notFound("no inbox item \"\(id.prefix(64))\"; ListInbox shows yours")
        }
        return share
    }
}
