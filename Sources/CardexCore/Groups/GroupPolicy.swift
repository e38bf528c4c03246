/// Limits on groups, so one account cannot make the server hold or send without bound.
public struct GroupPolicy: Sendable, Hashable {
    /// Groups one person may own.
    public var maxOwnedGroups: Int
    /// Members in one group.
    public var maxMembers: Int
    /// Invitations waiting for an answer in one group.
    public var maxPendingInvitations: Int
    /// Invitees named in one call.
    public var maxInviteesPerCall: Int
    /// Longest group name and tag, in UTF-8 bytes.
    public var maxNameBytes: Int

    /// Creates a policy.
    public init(maxOwnedGroups: Int, maxMembers: Int, maxPendingInvitations: Int, maxInviteesPerCall: Int, maxNameBytes: Int) {
        self.maxOwnedGroups = maxOwnedGroups
        self.maxMembers = maxMembers
        self.maxPendingInvitations = maxPendingInvitations
        self.maxInviteesPerCall = maxInviteesPerCall
        self.maxNameBytes = maxNameBytes
    }

    /// 100 owned groups per person; 10,000 members and 1,000 pending invitations per group;
    /// 100 invitees per call; names and tags up to 100 bytes.
    public static var defaults: GroupPolicy {
        GroupPolicy(maxOwnedGroups: 100, maxMembers: 10_000, maxPendingInvitations: 1_000, maxInviteesPerCall: 100, maxNameBytes: 100)
    }
}
