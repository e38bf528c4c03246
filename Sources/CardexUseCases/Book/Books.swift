import CardexCore
import Foundation

/// People's cloud address books, the mutual contacts matched from them, and exchange ("auto-send
/// my card" to numbers new to the book).
public struct Books: Sendable {
    let store: UseCaseStore
    let limits: BookLimits
    let sharing: SharingPolicy
    let presence: any Presence

    /// Creates the use cases.
    public init(store: UseCaseStore, limits: BookLimits, sharing: SharingPolicy, presence: any Presence) {
        self.store = store
        self.limits = limits
        self.sharing = sharing
        self.presence = presence
    }

    /// Applies `edit` in one transaction: its upserts are added or replace the entry of their
    /// client id, its removals are removed; with `replace`, entries it does not upsert are
    /// removed too. Then the owner's
    /// mutual contacts are matched again, and when the owner's "auto-send my card" is on,
    /// numbers new to the book that hold no share of the owner's card yet receive it, delivered
    /// as any share.
    /// - Throws: ``CardexError/resourceExhausted(_:retryAfterSeconds:)`` when the book would hold
    ///   more than ``BookLimits/maxEntries``; nothing changes then.
    public func update(
        of owner: UserID, edit: BookEdit, replace: Bool, now: Date
    ) async throws -> BookUpdate {
        try await store.write(now: now) { changes in
            try await apply(edit, replace: replace, of: owner, changes)
        }
    }

    /// Sets one entry (`entry`, or none to remove `id`) when `precondition` holds for the entry
    /// as it is now, read in the same transaction: a CardDAV `If-Match` cannot race another
    /// writer. Returns the entry as it was, or `.refused` when the precondition did not hold;
    /// then nothing changes. Matching and exchange follow as for ``update(of:edit:replace:now:)``.
    public func change(
        _ id: String, of owner: UserID, to entry: BookEntry?, if precondition: @escaping @Sendable (BookEntry?) -> Bool, now: Date
    ) async throws -> ConditionalChange {
        try await store.write(now: now) { changes in
            let before = try await changes.transaction.bookEntry(id, of: owner)
            guard precondition(before) else { return .refused(current: before) }
            let edit = entry.map { BookEdit(upserts: [$0], removals: []) } ?? BookEdit(upserts: [], removals: [id])
            _ = try await apply(edit, replace: false, of: owner, changes)
            return .applied(before: before)
        }
    }

    /// What ``change(_:of:to:if:now:)`` did.
    public enum ConditionalChange: Sendable {
        /// Written; the entry before it (nil: there was none).
        case applied(before: BookEntry?)
        /// Not written: the precondition failed on this entry.
        case refused(current: BookEntry?)
    }

    /// `edit` applied inside a write transaction: see ``update(of:edit:replace:now:)``.
    private func apply(_ edit: BookEdit, replace: Bool, of owner: UserID, _ changes: Changes) async throws -> BookUpdate {
        let (limits, sharing, presence) = (limits, sharing, presence)
        let (upserts, removals) = (edit.upserts, edit.removals)
        let transaction = changes.transaction
        guard let account = try await transaction.account(owner) else {
            throw CardexError.notFound("the account no longer exists")
        }
        // Only exchange needs to know which numbers are new to the book.
        let numbersBefore = account.settings.autoSendCard ? try await transaction.bookNumbers(of: owner) : []
        let written = try await transaction.applyBookChanges(of: owner, upserts: upserts, removals: removals, replace: replace, at: changes.now)
        guard written.size <= limits.maxEntries else {
            throw CardexError.resourceExhausted(
                "an address book holds at most \(limits.maxEntries) entries; this update would make \(written.size)", retryAfterSeconds: 0)
        }
        var result = BookUpdate()
        (result.added, result.changed, result.unchanged, result.removed) = (written.added, written.changed, written.unchanged, written.removed)
        // A retried upload changes nothing, so there is nothing to match again.
        guard written.wroteAny else { return result }
        try await MutualMatching.match(owner, changes)
        guard account.settings.autoSendCard else { return result }
        // Exchange (patent CN103067478A claim 5): numbers new to the book receive my card.
        let added = upserts.flatMap(\.numbers).filter { !numbersBefore.contains($0.e164) && $0 != account.phone }
        var exchange = Sharing(changes: changes, sender: account, fields: .all, policy: sharing, presence: presence)
        for number in Set(added).sorted(by: { $0.e164 < $1.e164 }) where try await exchange.shareIfNew(with: number) {
            result.cardSentTo.append(number)
        }
        return result
    }

    /// The owner's entry `id`, if there is one.
    public func entry(_ id: String, of owner: UserID) async throws -> BookEntry? {
        try await store.read { transaction in try await transaction.bookEntry(id, of: owner) }
    }

    /// Where the owner's book log stands (``BookLog``): its latest revision is the position a
    /// sync from now starts at.
    public func revision(of owner: UserID) async throws -> BookRevision {
        try await store.read { transaction in try await transaction.bookRevision(of: owner) }
    }

    /// Up to `limit` changes of the owner's book after `position`, in log order, each entry as it
    /// is now (nil: removed), and where the log stood when they were read (one transaction).
    /// - Throws: ``CardexError/failedPrecondition(_:)`` when the changes since `position` can no
    ///   longer be told (the log was pruned past it) or it is past the book's latest revision.
    public func changes(
        of owner: UserID, after position: BookLogPosition, limit: Int
    ) async throws
        -> (changes: [BookLogChange], revision: BookRevision)
    {
        try await store.read { transaction in
            let revision = try await transaction.bookRevision(of: owner)
            guard position >= BookLogPosition(revision: revision.horizon) else {
                throw CardexError.failedPrecondition("the address book's change log no longer reaches back to this point: list it again")
            }
            guard position.revision <= revision.latest else {
                throw CardexError.failedPrecondition("this point is past the address book's latest change: list it again")
            }
            return (try await transaction.bookChanges(of: owner, after: position, limit: limit), revision)
        }
    }

    /// Up to `limit` entries of the owner's book with client ids after `after`, in id order.
    public func entries(of owner: UserID, after: String?, limit: Int) async throws -> [BookEntry] {
        try await store.read { transaction in try await transaction.bookEntries(of: owner, after: after, limit: limit) }
    }
}
