/// Changes to one address book in the order a client made them: upserts and removals by client
/// entry id, where a later change to an entry replaces an earlier one. What a call (or a streamed
/// upload, message after message) asks for comes to one change per entry: ``upserts`` and
/// ``removals`` name each id once, and apply in any order.
///
/// Within one message, its upserts come before its removals: a message that upserts and removes
/// the same id removes it.
public struct BookEdit: Sendable {
    /// The last change to each id: the entry, or nil for a removal.
    private var latest: [String: BookEntry?] = [:]
    /// Ids in the order they were first changed, so that results keep the client's order.
    private var order: [String] = []

    /// An edit that changes nothing.
    public init() {}

    /// One message's changes: `upserts`, then `removals`.
    public init(upserts: [BookEntry], removals: [String]) {
        apply(upserts: upserts, removals: removals)
    }

    /// Adds one message's changes after those already made: its upserts, then its removals.
    public mutating func apply(upserts: [BookEntry], removals: [String]) {
        for entry in upserts { change(entry.clientEntryID, to: entry) }
        for id in removals { change(id, to: nil) }
    }

    private mutating func change(_ id: String, to entry: BookEntry?) {
        switch latest.updateValue(entry, forKey: id) {
        case nil: order.append(id)
        case .some(.some): upsertCount -= 1
        case .some(nil): removalCount -= 1
        }
        if entry == nil { removalCount += 1 } else { upsertCount += 1 }
    }

    /// The entries upserted last, in the order their ids were first changed.
    public var upserts: [BookEntry] { order.compactMap { latest[$0] ?? nil } }
    /// The ids removed last, in the order they were first changed.
    public var removals: [String] { order.filter { latest[$0] == .some(nil) } }
    /// How many ids have an upsert as their last change.
    public private(set) var upsertCount = 0
    /// How many ids have a removal as their last change.
    public private(set) var removalCount = 0
}
