import CardexCore
import Foundation
import Synchronization

/// Decoded cards by owner and etag. A stored card version never changes, so an entry is valid
/// for as long as the etag matches; decoding JSON is the main cost of reading many cards (a
/// group directory reads thousands).
///
/// Bounded: past `capacity` entries, an arbitrary half is dropped. Thread-safe.
final class CardCache: Sendable {
    private struct Entry {
        let etag: String
        let card: Card
    }

    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The card stored as `content` (JSON) with `etag`, decoded once per version.
    func card(of user: String, etag: String, content: String) throws -> Card {
        if let entry = entries.withLock({ $0[user] }), entry.etag == etag { return entry.card }
        let card = try JSONDecoder().decode(Card.self, from: Data(content.utf8))
        entries.withLock { entries in
            if entries.count >= capacity {
                for key in entries.keys.prefix(capacity / 2) { entries[key] = nil }
            }
            entries[user] = Entry(etag: etag, card: card)
        }
        return card
    }
}
