import Foundation

/// Who a share goes to, as the sender named them.
public enum ShareRecipient: Sendable, Hashable {
    /// A person named by user id.
    case user(UserID)
    /// A person named by phone number, registered or not.
    case phone(PhoneNumber)
    /// Everyone signed in: a public share, accepted by nobody because nobody is asked.
    case everyone
}

extension ShareRecipient: CustomStringConvertible {
    /// The user id, the number in E.164, or "everyone".
    public var description: String {
        switch self {
        case .user(let id): id.rawValue
        case .phone(let phone): phone.e164
        case .everyone: "everyone"
        }
    }
}

/// What the sender sees of one of their shares.
public struct OutgoingShare: Sendable, Hashable {
    /// What the sender sees of a share's answer: pending and declined look the same.
    public enum Status: Sendable, Hashable {
        case notAccepted
        case accepted
        /// A share with everyone.
        case isPublic
    }

    /// The share's id.
    public var id: String
    /// As the sender named them.
    public var recipient: ShareRecipient
    /// The fields shared.
    public var fields: FieldSelection
    /// Whether it was accepted.
    public var status: Status
    /// When it was made.
    public var createdAt: Date
    /// For a forwarded address-book entry: the entry's client id.
    public var forwardedEntryID: String?

    /// Creates a value.
    public init(
        id: String, recipient: ShareRecipient, fields: FieldSelection, status: Status, createdAt: Date, forwardedEntryID: String? = nil
    ) {
        self.id = id
        self.recipient = recipient
        self.fields = fields
        self.status = status
        self.createdAt = createdAt
        self.forwardedEntryID = forwardedEntryID
    }
}

/// A card as one reader may see it: only the fields the reader is allowed, without audiences.
public struct CardView: Sendable, Hashable, Codable {
    /// Whose card it is.
    public var owner: UserID
    /// The visible fields, in the owner's order.
    public var fields: [CardField]
    /// The owner's card version the view was taken from (0 when the owner has no card yet).
    public var version: UInt64
    /// ``ETag/ofView(_:)`` of ``fields``.
    public var etag: String
    /// When that version was saved.
    public var updatedAt: Date

    /// The view of `card` (or of no card) for a reader in `relation`.
    public init(owner: UserID, card: StoredCard?, relation: Relation) {
        let fields = card?.card.visible(to: relation) ?? []
        self.owner = owner
        self.fields = fields
        self.version = card?.version ?? 0
        self.etag = ETag.ofView(fields)
        self.updatedAt = card?.updatedAt ?? Date(timeIntervalSince1970: 0)
    }
}

/// A share waiting in a recipient's inbox for an answer.
public struct InboxEntry: Sendable, Hashable, Codable {
    /// The share's id.
    public var id: String
    /// The sender's card as accepting would show it; for a forwarded entry, as the recipient
    /// may see it anyway.
    public var card: CardView
    /// When it reached the inbox.
    public var receivedAt: Date
    /// A forwarded address-book entry, which accepting adds to the recipient's book.
    public var forwarded: BookEntry?

    /// Creates a value.
    public init(id: String, card: CardView, receivedAt: Date, forwarded: BookEntry? = nil) {
        self.id = id
        self.card = card
        self.receivedAt = receivedAt
        self.forwarded = forwarded
    }
}

/// What accepting a share gave.
public struct AcceptedShare: Sendable, Hashable {
    /// The sender's card as the recipient may see it now.
    public var card: CardView
    /// For a forwarded entry: the entry added to the recipient's address book.
    public var addedEntry: BookEntry?

    /// Creates a value.
    public init(card: CardView, addedEntry: BookEntry? = nil) {
        self.card = card
        self.addedEntry = addedEntry
    }
}
