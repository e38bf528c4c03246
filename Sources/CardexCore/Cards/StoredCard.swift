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
