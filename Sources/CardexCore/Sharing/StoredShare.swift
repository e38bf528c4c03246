import Foundation

/// A share as stored: one share of a person's card (or of an address-book entry) with one
/// recipient, or with everyone.
public struct StoredShare: Sendable, Hashable {
    /// Where a share is in its life.
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Not in an inbox yet: the number is unregistered or the cloud address book is off.
        case waiting
        /// In the recipient's inbox, unanswered.
        case delivered
        case accepted
        /// Kept so the sender keeps seeing "not accepted"; gone from the inbox.
        case declined
        /// Shared with everyone.
        case `public`

        /// Still waiting for the recipient's answer (delivered or not).
        public var isUnanswered: Bool { self == .waiting || self == .delivered }
    }

    public var id: String
    public var owner: UserID
    /// The recipient once known by account (`nil` for a number nobody registered, and for everyone).
    public var recipientUser: UserID?
    /// The number the sender named, when they named one.
    public var recipientPhone: PhoneNumber?
    public var fields: FieldSelection
    public var state: State
    public var createdAt: Date
    public var deliveredAt: Date?
    /// A forwarded address-book entry; `nil` for a share of the owner's card.
    public var entry: BookEntry?

    /// Creates a value.
    public init(
        id: String, owner: UserID, recipientUser: UserID?, recipientPhone: PhoneNumber?, fields: FieldSelection, state: State,
        createdAt: Date, deliveredAt: Date?, entry: BookEntry?
    ) {
        self.id = id
        self.owner = owner
        self.recipientUser = recipientUser
        self.recipientPhone = recipientPhone
        self.fields = fields
        self.state = state
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
        self.entry = entry
    }

    /// What the sender sees of it.
    public var outgoing: OutgoingShare {
        let recipient: ShareRecipient =
            if state == .public { .everyone } else if let recipientPhone { .phone(recipientPhone) } else { .user(recipientUser ?? UserID(rawValue: "")) }
        let status: OutgoingShare.Status =
            switch state {
            case .accepted: .accepted
            case .public: .isPublic
            case .waiting, .delivered, .declined: .notAccepted
            }
        return OutgoingShare(
            id: id, recipient: recipient, fields: fields, status: status, createdAt: createdAt, forwardedEntryID: entry?.clientEntryID)
    }
}

/// One person as a share's recipient: by account once registered, by number before.
public enum ShareTarget: Sendable, Hashable {
    case user(UserID)
    /// A number no account holds.
    case unregistered(PhoneNumber)
}
