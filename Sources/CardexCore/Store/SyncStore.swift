import Foundation

/// Query-update and delta sync of the cards a person may see.
public protocol SyncStore: Sendable {
    /// The current cards of `owners` as `reader` may see them, in order (a view without fields:
    /// nothing to see). Query-update by user id (patent CN103067478A claims 9–14); by number it
    /// goes through ``LookupStore/lookUp(_:for:purpose:)``.
    func currentViews(of owners: [UserID], for reader: UserID) async throws -> [CardView]

    /// The cards that changed for `reader` since `token` (all of them for `nil`), at most
    /// `limit` per page.
    /// - Throws: ``CardexError/failedPrecondition(_:)`` for an expired or foreign token.
    func sync(for reader: UserID, since token: SyncToken?, limit: Int) async throws -> SyncPage
}

/// Where a delta sync stands: the person, the last event seen, and during a full sync the last
/// card sent (cards go in owner-id order).
public struct SyncToken: Sendable, Hashable {
    public var user: UserID
    public var seq: UInt64
    public var fullSyncAfter: String?

    /// Creates a token.
    public init(user: UserID, seq: UInt64, fullSyncAfter: String? = nil) {
        self.user = user
        self.seq = seq
        self.fullSyncAfter = fullSyncAfter
    }

    /// The text clients hold: opaque to them.
    public var text: String {
        ["s1", user.rawValue, String(seq), fullSyncAfter ?? ""].joined(separator: ".")
    }

    /// Reads a token; `nil` when it is not one.
    public init?(text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "s1", let seq = UInt64(parts[2]), UUID(uuidString: String(parts[1])) != nil else { return nil }
        self.init(user: UserID(rawValue: String(parts[1])), seq: seq, fullSyncAfter: parts[3].isEmpty ? nil : String(parts[3]))
    }
}

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
