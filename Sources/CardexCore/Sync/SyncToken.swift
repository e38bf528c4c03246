import Foundation

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
