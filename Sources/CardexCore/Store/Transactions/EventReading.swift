/// Reading the per-person event log as stored. Whether a reader may resume from a point is
/// decided above.
public protocol EventReading: AnyObject {
    /// Up to `limit` of the person's events numbered after `seq`, in sequence order.
    func events(of user: UserID, after seq: UInt64, limit: Int) async throws -> [UserEvent]

    /// The events of each range that are still kept, in one read however many people: by
    /// person, in sequence order.
    func events(in ranges: [EventRange]) async throws -> [UserEvent]

    /// The newest sequence number given to the person (0 before the first event), whether or
    /// not that event is still kept.
    func lastEventSeq(of user: UserID) async throws -> UInt64

    /// The oldest sequence number of the person's events still kept; `nil` when none is.
    func firstKeptEventSeq(of user: UserID) async throws -> UInt64?
}

/// A person's events numbered after `after`, up to `through`.
public struct EventRange: Sendable, Hashable {
    public var user: UserID
    public var after: UInt64
    public var through: UInt64

    public init(user: UserID, after: UInt64, through: UInt64) {
        self.user = user
        self.after = after
        self.through = through
    }
}
