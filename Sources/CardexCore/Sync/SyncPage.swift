/// One page of a delta sync.
public struct SyncPage: Sendable, Hashable {
    public var changed: [CardView]
    public var removed: [UserID]
    public var next: SyncToken
    public var more: Bool

    /// Creates a page.
    public init(changed: [CardView], removed: [UserID], next: SyncToken, more: Bool) {
        self.changed = changed
        self.removed = removed
        self.next = next
        self.more = more
    }
}
