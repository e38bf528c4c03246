import Foundation

/// Groups, their members and invitations.
///
/// Every method is one transaction and appends the events that tell members what changed.
/// Methods naming a group throw ``CardexError/notFound(_:)`` unless the caller is a member, so
/// non-members cannot learn that a group exists.
public protocol GroupStore: Sendable {
    /// Creates a group owned by `owner`, its only member.
    /// - Throws: ``CardexError/resourceExhausted(_:retryAfterSeconds:)`` past ``GroupPolicy/maxOwnedGroups``.
    func createGroup(named name: String, by owner: UserID, policy: GroupPolicy, now: Date) async throws -> GroupMembership

    /// Invites people, delivering like shares: an unregistered number waits for registration and
    /// gets an invitation message; a registered person gets it in the inbox (and a notice when
    /// offline). Returns the invitation ids in order.
    /// - Throws: ``CardexError/permissionDenied(_:)`` unless the caller is the owner or an admin.
    func invite(
        _ invitees: [Invitee], to groupID: String, by inviter: UserID, presence: any Presence, policy: GroupPolicy,
        sharing: SharingPolicy, now: Date
    ) async throws -> [String]

    /// The groups the person belongs to, oldest membership first.
    func groups(of user: UserID) async throws -> [GroupMembership]

    /// The invitations waiting for the person's answer, oldest first.
    func invitations(of user: UserID) async throws -> [GroupInvitation]

    /// Joins the group of an invitation: the person's user id and phone are recorded in it.
    /// Returns the group and the members the person sees.
    func acceptInvitation(_ id: String, by user: UserID, policy: GroupPolicy, now: Date) async throws -> (GroupMembership, [DirectoryEntry])

    /// Deletes an invitation (patent CN102984213A [0069]).
    func declineInvitation(_ id: String, by user: UserID, now: Date) async throws

    /// The other members `user` sees in the group, without their cards.
    func members(of groupID: String, seenBy user: UserID) async throws -> [GroupMember]

    /// The members `user` sees, each with the card fields whose audience includes the group.
    func directory(of groupID: String, for user: UserID, includeSelf: Bool) async throws -> (GroupMembership, [DirectoryEntry])

    /// Removes a member.
    /// - Throws: ``CardexError/permissionDenied(_:)`` unless the caller administers the group and
    ///   outranks the member.
    func removeMember(_ member: UserID, from groupID: String, by user: UserID, now: Date) async throws

    /// Changes a member's tag or admin role.
    /// - Throws: ``CardexError/permissionDenied(_:)`` unless the caller may.
    func changeMember(_ member: UserID, in groupID: String, _ change: MemberChange, by user: UserID, now: Date) async throws -> DirectoryEntry

    /// Leaves a group.
    /// - Throws: ``CardexError/failedPrecondition(_:)`` for the owner.
    func leaveGroup(_ groupID: String, user: UserID, now: Date) async throws

    /// Deletes a group.
    /// - Throws: ``CardexError/permissionDenied(_:)`` unless the caller owns it.
    func deleteGroup(_ groupID: String, by user: UserID, now: Date) async throws
}
