import Crypto
import Foundation
import Synchronization

/// Etags and sync tokens of a collection whose store keeps no change log (a group):
/// an etag is a hash of the card's vCard, a sync token a hash of every card's name and etag, so
/// the same cards give the same token on every instance.
///
/// To answer a sync-collection from a token with what changed, the instance remembers the names
/// and etags each token it handed out stood for (``SnapshotMemory``) and compares them with the
/// collection as it is now. A token it does not remember (another instance's, or one pushed out
/// by newer ones) gets `valid-sync-token`, and the client lists the collection again, as
/// RFC 6578 §3.2 lets a server ask.
enum Snapshot {
    /// The quoted etag of a card whose vCard is `vCard`.
    static func etag(of vCard: Data) -> String {
        "\"\(hex(SHA256.hash(data: vCard)))\""
    }

    /// The sync token of a collection holding `etags` (card name to etag), under `prefix` (a URI,
    /// as RFC 6578 asks).
    static func token(of etags: [String: String], prefix: String) -> String {
        var hasher = SHA256()
        for (name, etag) in etags.sorted(by: { $0.key < $1.key }) {
            hasher.update(data: Data(name.utf8 + [0] + etag.utf8 + [0]))
        }
        return prefix + hex(hasher.finalize())
    }

    /// The first 128 bits of a digest, in hex (`String(format:)` was a tenth of a listing's time).
    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(32)
        for byte in digest.prefix(16) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// The names and etags behind the sync tokens this instance handed out: the newest, first
/// remembered first forgotten, as long as they hold at most `maxCards` cards in all (a snapshot
/// counts one more, so that empty ones are bounded too). What ``Snapshot`` collections diff against.
final class SnapshotMemory: Sendable {
    private struct State {
        /// Token to what it stood for.
        var snapshots: [String: [String: String]] = [:]
        /// Tokens in the order remembered; those before `oldest` are forgotten.
        var order: [String] = []
        var oldest = 0
        var cards = 0
    }

    private let state = Mutex(State())
    let maxCards: Int

    init(maxCards: Int) {
        self.maxCards = maxCards
    }

    /// The token of `cards` under `prefix`, remembered so that a sync from it can be answered.
    func token(of cards: [CardResource], prefix: String) -> String {
        remember(Dictionary(cards.map { ($0.name, $0.etag) }, uniquingKeysWith: { first, _ in first }), prefix: prefix)
    }

    /// What changed from `token` (nil: from nothing) to `cards`, the collection as it is now; at
    /// most `limit` changes, the rest left to a sync from the token returned.
    /// - Throws: ``InvalidSyncToken`` when `token` is not one this instance remembers.
    func changes(since token: String?, to cards: [CardResource], prefix: String, limit: Int?) throws -> CollectionChanges {
        let before: [String: String]
        if let token {
            guard let remembered = state.withLock({ $0.snapshots[token] }) else {
                throw InvalidSyncToken(reason: "this sync token is unknown or too old here: list the address book again (sync from no token)")
            }
            before = remembered
        } else {
            before = [:]
        }
        let now = Dictionary(cards.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var changed = cards.filter { before[$0.name] != $0.etag }.sorted { $0.name < $1.name }
        var removed = before.keys.filter { now[$0] == nil }.sorted()
        var reached = now.mapValues(\.etag)
        var truncated = false
        if let limit, changed.count + removed.count > limit {
            // The token of the state the client reaches by applying only the changes sent.
            truncated = true
            removed = Array(removed.prefix(limit))
            changed = Array(changed.prefix(limit - removed.count))
            reached = before
            for name in removed { reached[name] = nil }
            for card in changed { reached[card.name] = card.etag }
        }
        return CollectionChanges(changed: changed, removed: removed, token: remember(reached, prefix: prefix), truncated: truncated)
    }

    private func remember(_ etags: [String: String], prefix: String) -> String {
        let token = Snapshot.token(of: etags, prefix: prefix)
        guard etags.count <= maxCards else { return token }
        state.withLock { state in
            guard state.snapshots[token] == nil else { return }
            state.snapshots[token] = etags
            state.order.append(token)
            state.cards += etags.count + 1
            while state.cards > maxCards, state.oldest < state.order.count {
                state.cards -= (state.snapshots.removeValue(forKey: state.order[state.oldest])?.count ?? 0) + 1
                state.oldest += 1
            }
            if state.oldest > state.order.count / 2 {
                state.order.removeFirst(state.oldest)
                state.oldest = 0
            }
        }
        return token
    }
}
