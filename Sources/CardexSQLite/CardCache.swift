import CardexCore
import Foundation
import Synchronization

/// Decoded current cards, by person: decoding JSON is the main cost of reading many cards (a
/// group directory reads thousands). It keeps one version per person, the one read last, with
/// its etag: a read that finds another etag decodes the content and replaces it, so the versions
/// a card had before take no room and the cache holds at most one card per person read recently
/// (``RecentCache``). An etag is a hash of the whole content, so a kept card with the etag read
/// is the card stored. Thread-safe.
final class CardCache: Sendable {
    /// The cache every store reads through: the cards of 100,000 people (a few hundred MB at
    /// most for full cards, far less for typical ones).
    static let shared = CardCache(capacity: 100_000)

    private struct Kept: Sendable {
        let etag: String
        let card: Card
    }

    private let cards: RecentCache<UserID, Kept>
    /// For content ``CardJSON`` does not read: one decoder for every such miss (making one per
    /// card cost as much as decoding); JSONDecoder is Sendable and its options are set once here.
    private let decoder = CardRecord.databaseJSONDecoder(for: "content")

    init(capacity: Int) {
        cards = RecentCache(capacity: capacity)
    }

    /// `owner`'s current card, stored as `content` (JSON) with `etag`: decoded once per version.
    func card(of owner: UserID, etag: String, content: String) throws -> Card {
        if let kept = cards.value(for: owner), kept.etag == etag { return kept.card }
        let card = try decode(content)
        cards.keep(Kept(etag: etag, card: card), for: owner)
        return card
    }

    /// The card stored as `content`, decoded without keeping it (an earlier version).
    func decode(_ content: String) throws -> Card {
        try CardJSON.card(from: content) ?? decoder.decode(Card.self, from: Data(content.utf8))
    }
}
