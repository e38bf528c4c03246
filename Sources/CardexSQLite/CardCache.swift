import CardexCore
import Synchronization

/// Decoded current cards, by person: decoding is the main cost of reading many cards (a group
/// directory reads thousands). Protobuf decoding (``StoredCardCodec``) costs about 3 µs a card,
/// over half of reading a 5,000-member directory from the store without this cache; a hit costs a
/// lock and a hash (docs/BENCHMARKS.md, "Cards as protobuf bytes"). It keeps one version per
/// person, the one read last, with its etag: a read that finds another etag decodes the content and
/// replaces it, so the versions a card had before take no room and the cache holds at most one card
/// per person read recently (``RecentCache``). An etag is a hash of the whole content, so a kept
/// card with the etag read is the card stored. Thread-safe.
final class CardCache: Sendable {
    /// The cache every store reads through: the cards of 100,000 people (a few hundred MB at
    /// most for full cards, far less for typical ones).
    static let shared = CardCache(capacity: 100_000)

    private struct Kept: Sendable {
        let etag: String
        let card: Card
    }

    private let cards: RecentCache<UserID, Kept>

    init(capacity: Int) {
        cards = RecentCache(capacity: capacity)
    }

    /// `owner`'s current card, stored with `etag`: `decode` runs once per version.
    func card(of owner: UserID, etag: String, decode: () throws -> Card) throws -> Card {
        if let kept = cards.value(for: owner), kept.etag == etag { return kept.card }
        let card = try decode()
        cards.keep(Kept(etag: etag, card: card), for: owner)
        return card
    }
}
