/// Reading groups, their members and invitations.
public protocol GroupReading: AnyObject {
    /// The group, if it exists.
    func group(_ id: String) async throws -> Group?

    /// The person's membership row in the group, if a member.
    func member(_ user: UserID, in groupID: String) async throws -> GroupMember?

    /// The group's members, in joining order.
    func members(of groupID: String) async throws -> [GroupMember]

    /// The group's members, in joining order, each with their current card: a directory reads
    /// thousands at once.
    func membersWithCards(of groupID: String) async throws -> [(GroupMember, StoredCard?)]

    /// How many members the group has.
    func memberCount(of groupID: String) async throws -> Int

    /// The ids of the groups the person belongs to, oldest membership first.
    func groupIDs(of user: UserID) async throws -> [String]

    /// How many groups the person owns.
    func ownedGroupCount(of owner: UserID) async throws -> Int

    /// The invitation, if it exists.
    func invitation(_ id: String) async throws -> StoredInvitation?

    /// The group's invitations, oldest first; with `target`, only those to that person.
    func invitations(in groupID: String, to target: ShareTarget?) async throws -> [StoredInvitation]

    /// The invitations in the person's inbox, oldest first.
    func invitations(to user: UserID) async throws -> [StoredInvitation]

    /// The invitations waiting for `phone` to register, oldest first.
    func waitingInvitations(to phone: PhoneNumber) async throws -> [StoredInvitation]
}

/// Writing groups, their members and invitations.
public protocol GroupWriting: AnyObject {
    /// Stores a new group.
    func insertGroup(_ group: Group) async throws

    /// Deletes a group with its members and invitations.
    func deleteGroup(_ id: String) async throws

    /// Stores a new member of the group.
    func insertMember(_ member: GroupMember, in groupID: String) async throws

    /// Stores a member's new role and tag.
    func updateMember(_ member: GroupMember, in groupID: String) async throws

    /// Takes the person out of the group.
    func deleteMember(_ user: UserID, from groupID: String) async throws

    /// Stores a new invitation.
    func insertInvitation(_ invitation: StoredInvitation) async throws

    /// Stores an invitation's invitee and delivery time.
    func updateInvitation(_ invitation: StoredInvitation) async throws

    /// Deletes an invitation.
    func deleteInvitation(_ id: String) async throws
}
