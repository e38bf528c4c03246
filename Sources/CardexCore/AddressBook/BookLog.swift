/// The change log of an address book: what a sync from a point in its history must fetch, so
/// that the sync costs the changes, not the book (CardDAV's sync-collection on `book`).
///
/// Every write that changes a book is one revision of it, numbered 1, 2, … per owner. The log
/// keeps, for each entry id written since the log began, the revision of its last write, whether
/// that added, changed or removed it; an entry not written since then is at revision 0. So a
/// removed entry's id stays in the log (its tombstone) until pruned.
///
/// The log is kept to a number of ids per owner (``keptEntries`` unless a write says otherwise):
/// a write that takes it past that prunes the ids of the oldest revisions, and the newest
/// revision pruned becomes the book's ``BookRevision/horizon``. A position before the horizon
/// can no longer be synced from.
public enum BookLog {
    /// The most entry ids an owner's log keeps: a book at ``BookLimits``' default size, plus as
    /// many removed since.
    public static let keptEntries = 100_000
}

/// Where an owner's book log stands.
public struct BookRevision: Sendable, Hashable {
    /// The revision of the book's last write; 0 when none since the log began.
    public var latest: Int64
    /// The newest revision pruned from the log: positions before it cannot be synced from.
    public var horizon: Int64

    /// Creates a value.
    public init(latest: Int64, horizon: Int64) {
        self.latest = latest
        self.horizon = horizon
    }
}

/// A point in a book's log: after every write up to `revision`, except, when `entryID` is set,
/// the entries of `revision` itself with ids after it (a page of changes that stopped midway).
public struct BookLogPosition: Sendable, Hashable, Comparable {
    public var revision: Int64
    public var entryID: String?

    /// Creates a value.
    public init(revision: Int64, entryID: String? = nil) {
        self.revision = revision
        self.entryID = entryID
    }

    /// Log order: by revision, then by entry id, a whole revision after any of its entries.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.revision != rhs.revision { return lhs.revision < rhs.revision }
        switch (lhs.entryID, rhs.entryID) {
        case (nil, _): return false
        case (_, nil): return true
        case (let left?, let right?): return left < right
        }
    }
}

/// One entry of a book's log: an entry id, the revision of its last write, and the entry as it
/// is now (nil: removed).
public struct BookLogChange: Sendable, Hashable {
    public var clientEntryID: String
    public var revision: Int64
    public var entry: BookEntry?

    /// Creates a value.
    public init(clientEntryID: String, revision: Int64, entry: BookEntry?) {
        self.clientEntryID = clientEntryID
        self.revision = revision
        self.entry = entry
    }

    /// The position just after this change.
    public var position: BookLogPosition { BookLogPosition(revision: revision, entryID: clientEntryID) }
}
