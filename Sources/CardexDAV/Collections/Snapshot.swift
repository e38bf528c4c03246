import Crypto
import Foundation

/// Etags and sync tokens of a collection that keeps no change log (the book, a group): an etag
/// is a hash of the card's vCard, a sync token a hash of every card's name and etag. A sync from
/// the current token reports nothing; from any other, `valid-sync-token`, and the client lists
/// the collection again.
enum Snapshot {
    /// The quoted etag of a card whose vCard is `vCard`.
    static func etag(of vCard: Data) -> String {
        "\"\(hex(SHA256.hash(data: vCard)))\""
    }

    /// The sync token of `cards`, under `prefix` (a URI, as RFC 6578 asks).
    static func token(of cards: [CardResource], prefix: String) -> String {
        var hasher = SHA256()
        for card in cards.sorted(by: { $0.name < $1.name }) {
            hasher.update(data: Data(card.name.utf8 + [0] + card.etag.utf8 + [0]))
        }
        return prefix + hex(hasher.finalize())
    }

    /// Nothing changed when `token` is the current one; else ``InvalidSyncToken``.
    static func changes(since token: String, cards: [CardResource], prefix: String) throws -> CollectionChanges {
        let current = self.token(of: cards, prefix: prefix)
        guard token == current else {
            throw InvalidSyncToken(reason: "this address book keeps no change log: list it again (sync from no token)")
        }
        return CollectionChanges(changed: [], removed: [], token: current, truncated: false)
    }

    /// The first 128 bits of a digest, in hex.
    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}
