import CardexCore
import CardexProto

extension GroupRole {
    var proto: Cardex_V1_GroupRole {
        switch self {
        case .member: .member
        case .admin: .admin
        case .owner: .owner
        }
    }
}

extension GroupMembership {
    var proto: Cardex_V1_Group {
        .with {
            $0.groupID = group.id
            $0.name = group.name
            $0.ownerUserID = group.owner.rawValue
            $0.myRole = me.role.proto
            $0.myTag = me.tag ?? ""
            $0.memberCount = UInt32(memberCount)
        }
    }
}

extension DirectoryEntry {
    var proto: Cardex_V1_Member {
        .with {
            $0.userID = member.user.rawValue
            $0.phone = member.phone.e164
            $0.role = member.role.proto
            $0.tag = member.tag ?? ""
            $0.card = card.proto
            $0.joinedAtMs = member.joinedAt.unixMilliseconds
        }
    }
}

extension GroupInvitation {
    var proto: Cardex_V1_Invitation {
        .with {
            $0.invitationID = id
            $0.groupID = groupID
            $0.groupName = groupName
            $0.inviterUserID = inviter.rawValue
            $0.receivedAtMs = receivedAt.unixMilliseconds
        }
    }
}

extension MembershipEnd {
    var proto: Cardex_V1_MembershipEnded.Reason {
        switch self {
        case .left: .left
        case .removed: .removed
        case .groupDeleted: .groupDeleted
        }
    }
}
