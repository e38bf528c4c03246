import Foundation

/// A version of a person's card as stored.
public struct StoredCard: Sendable, Hashable {
    /// The card with every field and audience.
    public var card: Card
    /// 1 for the first card, +1 per change.
    public var version: UInt64
    /// ``ETag/ofCard(_:)`` of the card.
    public var etag: String
    /// When this version was saved.
    public var updatedAt: Date

    /// Creates a stored card value.
    public init(card: Card, version: UInt64, etag: String, updatedAt: Date) {
        self.card = card
        self.version = version
        self.etag = etag
        self.updatedAt = updatedAt
    }
}

/// People's cards, their earlier versions, and how readers stand to owners.
public protocol CardStore: Sendable {
    /// The current card, or `nil` before the first save.
    func card(of user: UserID) async throws -> StoredCard?

    /// How `reader` stands to `owner`.
    func relation(of reader: UserID, to owner: UserID) async throws -> Relation
}

/// Everything Cardex stores. The SQLite backend implements it; handlers see only this.
public typealias CardexStore = AccountStore & CardStore & OutboxStore & ShareStore & AddressBookStore & GroupStore & LookupStore
