import Foundation

/// People's cloud address books.
public protocol AddressBookStore: Sendable {
    /// Adds or replaces `upserts` (by client entry id) and removes `removals`, in one
    /// transaction. When the owner's "auto-send my card" is on, numbers new to the book that
    /// hold no share of the owner's card yet receive it, delivered as any share.
    /// - Throws: ``CardexError/resourceExhausted(_:retryAfterSeconds:)`` when the book would hold
    ///   more than `limits.maxEntries`; nothing changes then.
    func updateBook(
        of owner: UserID, upserts: [BookEntry], removals: [String], limits: BookLimits, presence: any Presence,
        sharing: SharingPolicy, now: Date
    ) async throws -> BookUpdate
}
