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
