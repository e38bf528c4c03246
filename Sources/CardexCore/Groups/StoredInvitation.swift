import Foundation

/// An invitation to a group as stored. It waits for the number to register while
/// ``inviteeUser`` is `nil`, and is in the invitee's inbox once it is set.
public struct StoredInvitation: Sendable, Hashable {
    public var id: String
    public var groupID: String
    public var inviter: UserID
    public var inviteeUser: UserID?
    public var inviteePhone: PhoneNumber
    /// The permission tag the invitee joins with.
    public var tag: String?
    public var createdAt: Date
    public var deliveredAt: Date?

    /// Creates a value.
    public init(
        id: String, groupID: String, inviter: UserID, inviteeUser: UserID?, inviteePhone: PhoneNumber, tag: String?, createdAt: Date,
        deliveredAt: Date?
    ) {
        self.id = id
        self.groupID = groupID
        self.inviter = inviter
        self.inviteeUser = inviteeUser
        self.inviteePhone = inviteePhone
        self.tag = tag
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }
}
