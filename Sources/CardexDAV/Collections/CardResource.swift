import Foundation

/// One card of an address book as CardDAV serves it: its resource name (`<id>.vcf`), entity tag
/// and vCard.
struct CardResource: Sendable, Hashable {
    /// The last segment of its path, decoded.
    var name: String
    /// The entity tag, quoted as HTTP sends it.
    var etag: String
    /// The vCard 4.0 text.
    var vCard: Data
}

/// What changed in an address book since a sync token.
struct CollectionChanges: Sendable, Hashable {
    /// Cards added or changed, as they are now.
    var changed: [CardResource]
    /// Names of cards gone.
    var removed: [String]
    /// The token to sync from next time.
    var token: String
    /// Whether changes were left out to respect the client's limit: it syncs again from `token`.
    var truncated: Bool
}

/// Why a sync token cannot be synced from: the client syncs from scratch (RFC 6578 §3.2,
/// `DAV:valid-sync-token`).
struct InvalidSyncToken: Error, Sendable, Hashable {
    let reason: String
}

/// A card that cannot be written: the status to answer and why.
struct WriteRefusal: Error, Sendable, Hashable {
    let status: Int
    let reason: String
}

/// An address book of one person, as its CardDAV collection.
protocol AddressCollection: Sendable {
    /// The path segment naming it under the person's home.
    var segment: String { get }
    /// The name a contacts app shows.
    var displayName: String { get }
    /// What it holds, for `addressbook-description`.
    var summary: String { get }
    /// Whether cards may be written (PUT, DELETE); 403 otherwise.
    var isWritable: Bool { get }

    /// Every card.
    func cards() async throws -> [CardResource]
    /// The cards among `names` that exist.
    func cards(named names: [String]) async throws -> [CardResource]
    /// The token for what the collection holds now (a URI, as RFC 6578 asks).
    func syncToken() async throws -> String
    /// What changed since `token`, at most `limit` changes; from `nil`, every card (a first sync).
    /// - Throws: ``InvalidSyncToken`` when the changes since it cannot be told.
    func changes(since token: String?, limit: Int?) async throws -> CollectionChanges
    /// Stores `vCard` as the card `name`; `ifMatch` and `ifNoneMatch` are the request's
    /// conditions. Returns the new etag (nil when the card is not kept octet for octet) and
    /// whether the card is new.
    func put(name: String, vCard: Data, ifMatch: String?, ifNoneMatch: String?) async throws -> (etag: String?, created: Bool)
    /// Removes the card `name`; `false` when there is none.
    func delete(name: String, ifMatch: String?) async throws -> Bool
}

extension AddressCollection {
    func put(name: String, vCard: Data, ifMatch: String?, ifNoneMatch: String?) async throws -> (etag: String?, created: Bool) {
        throw WriteRefusal(status: 403, reason: "\(displayName) is read-only: its cards are other people's, as they share them")
    }

    func delete(name: String, ifMatch: String?) async throws -> Bool {
        throw WriteRefusal(status: 403, reason: "\(displayName) is read-only: its cards are other people's, as they share them")
    }
}
