/// What applying an upload to a stored book does, worked out from the stored entries' JSON
/// (``BookEntry/storedJSON``, by client entry id): the one rule every backend's
/// ``BookWriting/applyBookChanges(of:upserts:removals:replace:at:)`` follows.
///
/// An entry stored exactly as sent is left alone, and so is one sent without a vCard whose stored
/// fields are as sent (the vCard a contacts app stored stays); one given twice counts twice and is
/// written once, as given last; with `replace`, every stored entry not sent is removed.
public struct BookChangePlan {
    /// The counts the caller gets back.
    public private(set) var changes = BookChanges()
    /// Entries to delete, with their numbers: those removed and those whose content changed.
    public private(set) var deletions: [String] = []
    /// Entries to insert after the deletions, with the JSON to store.
    public private(set) var insertions: [(entry: BookEntry, content: String)] = []

    /// The ids the write changes (removed, changed or added), each once, in id order: what the
    /// book's log records at the write's revision (``BookLog``). Empty when nothing changes.
    public var loggedIDs: [String] {
        Set(deletions).union(insertions.map(\.entry.clientEntryID)).sorted()
    }

    /// Plans `upserts` and `removals` against `stored`.
    public init(stored: [String: String], upserts: [BookEntry], removals: [String], replace: Bool) {
        var stored = stored
        var removing = removals
        if replace {
            let kept = Set(upserts.map(\.clientEntryID))
            removing += stored.keys.filter { !kept.contains($0) }
        }
        for id in removing where stored.removeValue(forKey: id) != nil {
            deletions.append(id)
            changes.removed += 1
        }
        var deleted = Set(deletions)
        var inserting: [String: Int] = [:]  // position in `insertions` of each id
        for entry in upserts {
            let content = entry.storedJSON
            switch stored[entry.clientEntryID] {
            case let current? where current == content || (entry.vCard == nil && BookEntry.storedJSON(current, hasFieldsOf: content)):
                changes.unchanged += 1
                continue
            case nil:
                changes.added += 1
            case _?:
                changes.changed += 1
                if deleted.insert(entry.clientEntryID).inserted { deletions.append(entry.clientEntryID) }
            }
            stored[entry.clientEntryID] = content
            if let index = inserting[entry.clientEntryID] {
                insertions[index] = (entry, content)
            } else {
                inserting[entry.clientEntryID] = insertions.count
                insertions.append((entry, content))
            }
        }
        changes.size = stored.count
    }
}
