import Synchronization

/// The writes the server acknowledged (answered OK), per person: what must be there after a
/// graceful shutdown or a crash and a restart. A write whose call failed or was cut off is not
/// recorded: it may or may not have been applied.
final class WriteLedger: Sendable {
    /// One person's acknowledged writes.
    struct Writes: Sendable {
        /// SetCard calls that made a new version: the stored version is at least this.
        var cardVersions = 0
        var shareIDs: [String] = []
        var entryIDs: [String] = []
        var groupIDs: [String] = []
    }

    private let writes = Mutex<[String: Writes]>([:])
    private let sequence = Atomic<Int>(0)

    /// A number never returned before by this ledger (unique recipients, entry ids, card notes).
    func next() -> Int {
        sequence.add(1, ordering: .relaxed).newValue
    }

    /// Records an acknowledged write of `phone`.
    func record(_ phone: String, _ update: (inout Writes) -> Void) {
        writes.withLock { update(&$0[phone, default: Writes()]) }
    }

    /// Every person's acknowledged writes.
    var snapshot: [String: Writes] {
        writes.withLock { $0 }
    }

    /// The acknowledged writes by kind, for reports: `cards=… shares=… entries=… groups=…`.
    var summary: String {
        let all = snapshot.values
        return "cards=\(all.reduce(0) { $0 + $1.cardVersions }) shares=\(all.reduce(0) { $0 + $1.shareIDs.count }) "
            + "book_entries=\(all.reduce(0) { $0 + $1.entryIDs.count }) groups=\(all.reduce(0) { $0 + $1.groupIDs.count })"
    }
}
