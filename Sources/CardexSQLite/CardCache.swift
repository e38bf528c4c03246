import CardexCore
import Foundation
import Synchronization

/// Decoded cards by etag. An etag is a hash of the card's whole content, so one etag always
/// decodes to the same card, whichever person or database it comes from; decoding JSON is the
/// main cost of reading many cards (a group directory reads thousands).
///
/// Bounded to ``capacity`` cards in two generations: new cards go into the young one; when it
/// holds half the capacity it becomes the old one and the previous old one is dropped, and a
/// card found in the old generation moves back to the young one. So the cards read recently stay
/// (an approximate least-recently-used), and every operation is one or two hash lookups.
/// Thread-safe.
final class CardCache: Sendable {
    /// The cache every store reads through: 100,000 cards (a few hundred MB at most for full
    /// cards, far less for typical ones).
    static let shared = CardCache(capacity: 100_000)

    private struct Generations {
        var young: [String: Card] = [:]
        var old: [String: Card] = [:]
    }

    let capacity: Int
    private let generations = Mutex(Generations())
    /// For content ``CardJSON`` does not read: one decoder for every such miss (making one per
    /// card cost as much as decoding); JSONDecoder is Sendable and its options are set once here.
    private let decoder = CardRecord.databaseJSONDecoder(for: "content")

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The card stored as `content` (JSON) with `etag`, decoded once per content.
    func card(etag: String, content: String) throws -> Card {
        let cached = generations.withLock { generations -> Card? in
            if let card = generations.young[etag] { return card }
            return generations.old[etag].map { keep(etag, $0, &generations) }
        }
        if let cached { return cached }
        let card = try CardJSON.card(from: content) ?? decoder.decode(Card.self, from: Data(content.utf8))
        return generations.withLock { keep(etag, card, &$0) }
    }

    /// Puts `card` in the young generation, starting a new one first when it is full.
    private func keep(_ etag: String, _ card: Card, _ generations: inout Generations) -> Card {
        if generations.young.count >= max(1, capacity / 2) {
            generations.old = generations.young
            generations.young = Dictionary(minimumCapacity: capacity / 2)
        }
        generations.young[etag] = card
        return card
    }
}
