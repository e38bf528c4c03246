import Foundation

/// Something that happened to a person's account, kept with a per-person sequence number so a
/// device that was away receives what it missed, in order, once.
public struct UserEvent: Sendable, Hashable, Codable {
    /// Whose event it is.
    public var user: UserID
    /// 1, 2, 3… per person, without gaps.
    public var seq: UInt64
    /// When it happened.
    public var createdAt: Date
    /// What happened.
    public var payload: EventPayload

    /// Creates a value.
    public init(user: UserID, seq: UInt64, createdAt: Date, payload: EventPayload) {
        self.user = user
        self.seq = seq
        self.createdAt = createdAt
        self.payload = payload
    }
}

/// What an event says.
public enum EventPayload: Sendable, Hashable, Codable {
    /// Why an item left the inbox.
    public enum RemovalReason: String, Sendable, Hashable, Codable {
        /// Accepted on one of the person's devices.
        case accepted
        /// Declined on one of the person's devices.
        case declined
        /// Revoked or replaced by the sender.
        case withdrawn
    }

    /// A share arrived in the inbox.
    case shareReceived(InboxEntry)
    /// Someone accepted one of the person's shares.
    case shareAccepted(shareID: String, by: UserID)
    /// An inbox item (a share or a group invitation) is gone.
    case inboxItemRemoved(itemID: String, reason: RemovalReason)
    /// A card the person holds changed: the fields they may see now.
    case cardUpdated(CardView)
    /// A card the person held is no longer shared with them.
    case accessRemoved(owner: UserID)
    /// Shares wait until the person turns on the cloud address book.
    case sharesWaiting(count: Int)
    /// An invitation to a group arrived.
    case invitationReceived(GroupInvitation)
    /// The person joined a group (on one of their devices).
    case groupJoined(GroupMembership)
    /// Someone joined a group of the person's, and the person sees them.
    case memberJoined(groupID: String, DirectoryEntry)
    /// Someone the person saw left a group of theirs, or was removed.
    case memberLeft(groupID: String, user: UserID)
    /// The person is no longer in a group.
    case membershipEnded(groupID: String, MembershipEnd)
}

/// Receives events once they are committed, to push them to online devices.
public protocol EventSink: Sendable {
    /// Called after the transaction that stored `events` committed, in sequence order per person.
    func publish(_ events: [UserEvent])
}

/// Knows which people have a device online (an open event stream), on this instance or on
/// another sharing the database.
public protocol Presence: Sendable {
    /// Whether any of the person's devices is online; what other instances hold is read through
    /// `transaction` (``PresenceReading``).
    func isOnline(_ user: UserID, reading transaction: any ReadTransaction) async throws -> Bool
}
