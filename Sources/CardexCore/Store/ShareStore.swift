import Foundation

/// Shares, the inbox, and the consent that turns a share into a grant.
///
/// Every method is one transaction. Methods that change what someone may see append the events
/// that tell them, in the same transaction.
public protocol ShareStore: Sendable {
    /// Shares `owner`'s card (the `fields` of it) with each recipient, delivering by the
    /// recipient's state (``Delivery``); a newer share to the same person replaces an unanswered
    /// older one. Returns the share ids in recipient order.
    /// - Throws: ``CardexError/invalidArgument(_:)`` for a recipient who is the owner or an
    ///   unknown user id; ``CardexError/resourceExhausted(_:retryAfterSeconds:)`` past
    ///   ``SharingPolicy/maxUnansweredShares``. Nothing is stored then.
    func share(
        fields: FieldSelection, of owner: UserID, with recipients: [ShareRecipient], presence: any Presence,
        policy: SharingPolicy, now: Date
    ) async throws -> [String]

    /// Forwards the entry `entryID` of the owner's address book (as stored now) to each
    /// recipient, delivered as ``share(fields:of:with:presence:policy:now:)`` delivers. A forward
    /// grants nothing of the owner's card.
    /// - Throws: ``CardexError/notFound(_:)`` when the book has no such entry; otherwise as `share`.
    func forward(
        entryID: String, of owner: UserID, to recipients: [ShareRecipient], presence: any Presence, policy: SharingPolicy,
        now: Date
    ) async throws -> [String]

    /// The owner's shares, newest first.
    func shares(of owner: UserID) async throws -> [OutgoingShare]

    /// Withdraws one of the owner's shares.
    /// - Throws: ``CardexError/notFound(_:)`` unless the owner has such a share.
    func revokeShare(_ id: String, of owner: UserID, now: Date) async throws

    /// The shares in the person's inbox, oldest first.
    func inbox(of user: UserID) async throws -> [InboxEntry]

    /// Accepts an inbox item: the sender's card enters the person's address book (a forwarded
    /// entry is added to it).
    /// - Throws: ``CardexError/notFound(_:)`` unless the item is in the person's inbox.
    func acceptShare(_ id: String, by user: UserID, now: Date) async throws -> AcceptedShare

    /// Declines an inbox item, deleting it.
    /// - Throws: ``CardexError/notFound(_:)`` unless the item is in the person's inbox.
    func declineShare(_ id: String, by user: UserID, now: Date) async throws

    /// The cards of accepted shares, as the person may see them now.
    func sharedCards(with user: UserID) async throws -> [CardView]
}

/// The persisted event log.
public protocol EventStore: Sendable {
    /// Up to `limit` of the person's events after `seq`, in order.
    /// - Throws: ``ResyncRequired`` when events after `seq` were dropped or `seq` is newer than
    ///   the newest event.
    func events(of user: UserID, after seq: UInt64, limit: Int) async throws -> [UserEvent]

    /// The newest sequence number given to the person (0 before the first event).
    func latestEventSeq(of user: UserID) async throws -> UInt64
}

/// A device asked to resume from a point the log no longer holds (or never did).
public struct ResyncRequired: Error, Sendable, Hashable {
    /// The oldest sequence number still kept (0 when none is).
    public var oldestAvailable: UInt64
    /// The newest sequence number given.
    public var latest: UInt64

    /// Creates a value.
    public init(oldestAvailable: UInt64, latest: UInt64) {
        self.oldestAvailable = oldestAvailable
        self.latest = latest
    }
}

/// Query-update and delta sync of the cards a person may see.
public protocol SyncStore: Sendable {
    /// Answers each item for `reader` (patent CN103067478A claims 9–14).
    func queryUpdate(_ items: [QueryItem], for reader: UserID) async throws -> [QueryAnswer]

    /// The cards that changed for `reader` since `token` (all of them for `nil`), at most
    /// `limit` per page.
    /// - Throws: ``CardexError/failedPrecondition(_:)`` for an expired or foreign token.
    func sync(for reader: UserID, since token: SyncToken?, limit: Int) async throws -> SyncPage
}

/// Where a delta sync stands: the person, the last event seen, and during a full sync the last
/// card sent (cards go in owner-id order).
public struct SyncToken: Sendable, Hashable {
    public var user: UserID
    public var seq: UInt64
    public var fullSyncAfter: String?

    /// Creates a token.
    public init(user: UserID, seq: UInt64, fullSyncAfter: String? = nil) {
        self.user = user
        self.seq = seq
        self.fullSyncAfter = fullSyncAfter
    }

    /// The text clients hold: opaque to them.
    public var text: String {
        ["s1", user.rawValue, String(seq), fullSyncAfter ?? ""].joined(separator: ".")
    }

    /// Reads a token; `nil` when it is not one.
    public init?(text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "s1", let seq = UInt64(parts[2]), UUID(uuidString: String(parts[1])) != nil else { return nil }
        self.init(user: UserID(rawValue: String(parts[1])), seq: seq, fullSyncAfter: parts[3].isEmpty ? nil : String(parts[3]))
    }
}

/// One page of a delta sync.
public struct SyncPage: Sendable, Hashable {
    public var changed: [CardView]
    public var removed: [UserID]
    public var next: SyncToken
    public var more: Bool

    /// Creates a page.
    public init(changed: [CardView], removed: [UserID], next: SyncToken, more: Bool) {
        self.changed = changed
        self.removed = removed
        self.next = next
        self.more = more
    }
}
