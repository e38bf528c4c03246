import Foundation

/// A shared address book built by invitation (patent CN102984213A). Its id is the patent's
/// "address book table id".
public struct Group: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var owner: UserID
    public var createdAt: Date

    /// Creates a value.
    public init(id: String, name: String, owner: UserID, createdAt: Date) {
        self.id = id
        self.name = name
        self.owner = owner
        self.createdAt = createdAt
    }
}

/// What a member may do in a group.
public enum GroupRole: String, Sendable, Hashable, Codable, Comparable {
    case member, admin, owner

    private var rank: Int {
        switch self {
        case .member: 0
        case .admin: 1
        case .owner: 2
        }
    }

    public static func < (lhs: GroupRole, rhs: GroupRole) -> Bool { lhs.rank < rhs.rank }

    /// Whether the role administers the group: removes members, changes tags, invites.
    public var administers: Bool { self >= .admin }
}

/// A member of a group as the group table records them: user id and phone (patent CN102984213A
/// [0070]), role and permission tag.
public struct GroupMember: Sendable, Hashable, Codable {
    public var user: UserID
    public var phone: PhoneNumber
    public var role: GroupRole
    /// `nil` for an untagged member.
    public var tag: String?
    public var joinedAt: Date

    /// Creates a value.
    public init(user: UserID, phone: PhoneNumber, role: GroupRole, tag: String?, joinedAt: Date) {
        self.user = user
        self.phone = phone
        self.role = role
        self.tag = tag
        self.joinedAt = joinedAt
    }

    /// Whether this member sees `other` in the group (patent CN102984213A claim 6): members with
    /// a tag see the members with the same tag, untagged members see untagged members, and the
    /// owner and admins see everyone. The one place that decides.
    public func sees(_ other: GroupMember) -> Bool {
        role.administers || tag == other.tag || other.user == user
    }
}

/// A group as one of its members sees it in a list.
public struct GroupMembership: Sendable, Hashable, Codable {
    public var group: Group
    public var me: GroupMember
    public var memberCount: Int

    /// Creates a value.
    public init(group: Group, me: GroupMember, memberCount: Int) {
        self.group = group
        self.me = me
        self.memberCount = memberCount
    }
}

/// A member as another member sees them in the directory: the record and the card fields
/// whose audience includes the group (or everyone).
public struct DirectoryEntry: Sendable, Hashable, Codable {
    public var member: GroupMember
    public var card: CardView

    /// Creates a value.
    public init(member: GroupMember, card: CardView) {
        self.member = member
        self.card = card
    }
}

/// An invitation to a group waiting for the invitee's answer.
public struct GroupInvitation: Sendable, Hashable, Codable {
    public var id: String
    public var groupID: String
    public var groupName: String
    public var inviter: UserID
    public var receivedAt: Date

    /// Creates a value.
    public init(id: String, groupID: String, groupName: String, inviter: UserID, receivedAt: Date) {
        self.id = id
        self.groupID = groupID
        self.groupName = groupName
        self.inviter = inviter
        self.receivedAt = receivedAt
    }
}

/// Someone to invite, with an optional permission tag.
public struct Invitee: Sendable, Hashable {
    public var person: ShareRecipient
    public var tag: String?

    /// Creates a value; an empty tag is no tag.
    public init(person: ShareRecipient, tag: String?) {
        self.person = person
        self.tag = tag?.isEmpty == true ? nil : tag
    }
}
