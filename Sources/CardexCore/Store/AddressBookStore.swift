import Foundation

/// People's cloud address books.
public protocol AddressBookStore: Sendable {
    /// Adds or replaces `upserts` (by client entry id) and removes `removals`, in one
    /// transaction. When the owner's "auto-send my card" is on, numbers new to the book that
    /// hold no share of the owner's card yet receive it, delivered as any share.
    /// - Throws: ``CardexError/resourceExhausted(_:retryAfterSeconds:)`` when the book would hold
    ///   more than `limits.maxEntries`; nothing changes then.
    /// With `replace`, entries not in `upserts` are removed too.
    func updateBook(
        of owner: UserID, upserts: [BookEntry], removals: [String], replace: Bool, limits: BookLimits, presence: any Presence,
        sharing: SharingPolicy, now: Date
    ) async throws -> BookUpdate

    /// Up to `limit` entries of the owner's book with client ids after `after`, in id order.
    func bookEntries(of owner: UserID, after: String?, limit: Int) async throws -> [BookEntry]
}
