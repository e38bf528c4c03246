import CardexCore
import Foundation
import GRDB

/// A row of `groups`.
struct GroupRecord: Codable, Sendable {
    var id: String
    var name: String
    var ownerId: String
    var createdAt: Date
}

extension GroupRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "groups"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    var group: Group { Group(id: id, name: name, owner: UserID(rawValue: ownerId), createdAt: createdAt) }
}

/// A row of `group_members`.
struct GroupMemberRecord: Codable, Sendable {
    var groupId: String
    var userId: String
    var phone: String
    var role: GroupRole
    var tag: String?
    var joinedAt: Date
}

extension GroupMemberRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "group_members"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let groupID = Column("group_id")
        static let userID = Column("user_id")
        static let role = Column("role")
        static let joinedAt = Column("joined_at")
    }

    init(groupID: String, _ member: GroupMember) {
        self.init(
            groupId: groupID, userId: member.user.rawValue, phone: member.phone.e164, role: member.role, tag: member.tag,
            joinedAt: member.joinedAt)
    }

    var member: GroupMember {
        GroupMember(user: UserID(rawValue: userId), phone: PhoneNumber(e164: phone), role: role, tag: tag, joinedAt: joinedAt)
    }
}

/// A row of `group_invitations`. It waits for the number to register while `inviteeUserId`
/// is `nil`, and is in the invitee's inbox once it is set.
struct GroupInvitationRecord: Codable, Sendable {
    var id: String
    var groupId: String
    var inviterId: String
    var inviteeUserId: String?
    var inviteePhone: String?
    var tag: String?
    var createdAt: Date
    var deliveredAt: Date?
}

extension GroupInvitationRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "group_invitations"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let groupID = Column("group_id")
        static let inviteeUserID = Column("invitee_user_id")
        static let inviteePhone = Column("invitee_phone")
        static let createdAt = Column("created_at")
    }
}

extension GroupInvitationRecord {
    /// The row of `invitation`.
    init(_ invitation: StoredInvitation) {
        self.init(
            id: invitation.id, groupId: invitation.groupID, inviterId: invitation.inviter.rawValue,
            inviteeUserId: invitation.inviteeUser?.rawValue, inviteePhone: invitation.inviteePhone.e164, tag: invitation.tag,
            createdAt: invitation.createdAt, deliveredAt: invitation.deliveredAt)
    }

    /// The invitation this row holds.
    var stored: StoredInvitation {
        StoredInvitation(
            id: id, groupID: groupId, inviter: UserID(rawValue: inviterId), inviteeUser: inviteeUserId.map(UserID.init(rawValue:)),
            inviteePhone: PhoneNumber(e164: inviteePhone ?? ""), tag: tag, createdAt: createdAt, deliveredAt: deliveredAt)
    }
}
