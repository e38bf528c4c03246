import CardexCore
import CardexProto

extension UserEvent {
    var proto: Cardex_V1_Event {
        .with {
            $0.seq = seq
            $0.createdAtMs = createdAt.unixMilliseconds
            switch payload {
            case .shareReceived(let entry):
                $0.shareReceived = entry.proto
            case .shareAccepted(let shareID, let user):
                $0.shareAccepted = .with {
                    $0.shareID = shareID
                    $0.userID = user.rawValue
                }
            case .inboxItemRemoved(let itemID, let reason):
                $0.inboxItemRemoved = .with {
                    $0.itemID = itemID
                    $0.reason =
                        switch reason {
                        case .accepted: .accepted
                        case .declined: .declined
                        case .withdrawn: .withdrawn
                        }
                }
            case .cardUpdated(let view):
                $0.cardUpdated = view.proto
            case .accessRemoved(let owner):
                $0.accessRemoved = .with { $0.userID = owner.rawValue }
            case .sharesWaiting(let count):
                $0.sharesWaiting = .with { $0.count = UInt64(max(count, 0)) }
            case .invitationReceived(let invitation):
                $0.invitationReceived = invitation.proto
            case .groupJoined(let membership):
                $0.groupJoined = membership.proto
            case .memberJoined(let groupID, let entry):
                $0.memberJoined = .with {
                    $0.groupID = groupID
                    $0.member = entry.proto
                }
            case .memberLeft(let groupID, let user):
                $0.memberLeft = .with {
                    $0.groupID = groupID
                    $0.userID = user.rawValue
                }
            case .membershipEnded(let groupID, let end):
                $0.membershipEnded = .with {
                    $0.groupID = groupID
                    $0.reason = end.proto
                }
            }
        }
    }
}

extension ResyncRequired {
    var proto: Cardex_V1_ResyncRequired {
        .with {
            $0.oldestAvailableSeq = oldestAvailable
            $0.latestSeq = latest
        }
    }
}
