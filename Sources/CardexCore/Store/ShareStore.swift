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
