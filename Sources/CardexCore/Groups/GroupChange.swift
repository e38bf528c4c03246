/// A change an owner or admin makes to a member.
public struct MemberChange: Sendable, Hashable {
    /// When set, the new tag (`.some(nil)` untags).
    public var tag: String??
    /// When set, make (`true`) or unmake (`false`) an admin. Only the owner may.
    public var admin: Bool?

    /// Creates a change.
    public init(tag: String?? = nil, admin: Bool? = nil) {
        self.tag = tag
        self.admin = admin
    }
}

/// Why someone's membership ended.
public enum MembershipEnd: String, Sendable, Hashable, Codable {
    case left, removed
    case groupDeleted = "group_deleted"
}
