import CardexCore
import Foundation
import Synchronization

/// Decoded cards by etag. An etag is a hash of the card's whole content, so one etag always
/// decodes to the same card, whichever person or database it comes from; decoding JSON is the
/// main cost of reading many cards (a group directory reads thousands). The cards read recently
/// stay (``RecentCache``). Thread-safe.
final class CardCache: Sendable {
    /// The cache every store reads through: 100,000 cards (a few hundred MB at most for full
    /// cards, far less for typical ones).
    static let shared = CardCache(capacity: 100_000)

    private let cards: RecentCache<String, Card>
    /// For content ``CardJSON`` does not read: one decoder for every such miss (making one per
    /// card cost as much as decoding); JSONDecoder is Sendable and its options are set once here.
    private let decoder = CardRecord.databaseJSONDecoder(for: "content")

    init(capacity: Int) {
        cards = RecentCache(capacity: capacity)
    }

    /// The card stored as `content` (JSON) with `etag`, decoded once per content.
    func card(etag: String, content: String) throws -> Card {
        try cards.value(for: etag) { () throws -> Card in
            try CardJSON.card(from: content) ?? decoder.decode(Card.self, from: Data(content.utf8))
        }
    }
}
