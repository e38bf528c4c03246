import Foundation

/// Reading address books.
public protocol BookReading: AnyObject {
    /// The entry of the owner's book with client id `id`, if any.
    func bookEntry(_ id: String, of owner: UserID) async throws -> BookEntry?

    /// Up to `limit` entries of the owner's book with client ids after `after`, in id order.
    func bookEntries(of owner: UserID, after: String?, limit: Int) async throws -> [BookEntry]

    /// Where the owner's book log stands (``BookLog``).
    func bookRevision(of owner: UserID) async throws -> BookRevision

    /// Up to `limit` entries of the owner's book log after `position`, in log order
    /// (``BookLogPosition``), each with the entry as it is now. Positions before the horizon
    /// give what the log still holds: check ``bookRevision(of:)`` in the same transaction.
    func bookChanges(of owner: UserID, after position: BookLogPosition, limit: Int) async throws -> [BookLogChange]

    /// The matchable numbers (E.164) in the owner's book.
    func bookNumbers(of owner: UserID) async throws -> Set<String>

    /// The registered people, other than `user`, whose number is in `user`'s book and whose
    /// book holds `user`'s number.
    func peopleWhoseBooksHoldEachOther(with user: UserID) async throws -> Set<UserID>
}

/// What ``BookWriting/applyBookChanges(of:upserts:removals:replace:at:)`` did.
public struct BookChanges: Sendable, Hashable {
    public var added = 0
    public var changed = 0
    public var unchanged = 0
    public var removed = 0
    /// The entries the book holds afterwards.
    public var size = 0

    /// Creates a value.
    public init(added: Int = 0, changed: Int = 0, unchanged: Int = 0, removed: Int = 0, size: Int = 0) {
        self.added = added
        self.changed = changed
        self.unchanged = unchanged
        self.removed = removed
        self.size = size
    }

    /// Whether anything was written.
    public var wroteAny: Bool { added + changed + removed > 0 }
}

/// Writing address books and the mutual contacts matched from them.
public protocol BookWriting: AnyObject {
    /// Stores `entry`, replacing one with the same client id, with its matchable numbers; a new
    /// revision of the book (``BookLog``), its log pruned to `kept` ids.
    func putBookEntry(_ entry: BookEntry, of owner: UserID, at time: Date, keepingLog kept: Int) async throws

    /// Writes `upserts` (by client entry id; an entry stored exactly so is left alone), removes
    /// `removals`, and with `replace` every entry not in `upserts`, with their matchable numbers.
    /// When it writes anything, that is a new revision of the book (``BookLog``), which logs the
    /// ids written and prunes the log to `kept` ids.
    func applyBookChanges(
        of owner: UserID, upserts: [BookEntry], removals: [String], replace: Bool, at time: Date, keepingLog kept: Int
    ) async throws -> BookChanges

    /// Records that `user` and `other` are mutual contacts (both directions).
    func addMutualContact(_ user: UserID, _ other: UserID, since time: Date) async throws

    /// Records that `user` and `other` are no longer mutual contacts (both directions).
    func removeMutualContact(_ user: UserID, _ other: UserID) async throws
}

extension BookWriting {
    /// ``putBookEntry(_:of:at:keepingLog:)`` keeping ``BookLog/keptEntries``.
    public func putBookEntry(_ entry: BookEntry, of owner: UserID, at time: Date) async throws {
        try await putBookEntry(entry, of: owner, at: time, keepingLog: BookLog.keptEntries)
    }

    /// ``applyBookChanges(of:upserts:removals:replace:at:keepingLog:)`` keeping ``BookLog/keptEntries``.
    public func applyBookChanges(
        of owner: UserID, upserts: [BookEntry], removals: [String], replace: Bool, at time: Date
    ) async throws
        -> BookChanges
    {
        try await applyBookChanges(of: owner, upserts: upserts, removals: removals, replace: replace, at: time, keepingLog: BookLog.keptEntries)
    }
}
