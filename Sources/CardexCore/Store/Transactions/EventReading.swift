/// Reading the per-person event log as stored. Whether a reader may resume from a point is
/// decided above.
public protocol EventReading: AnyObject {
    /// Up to `limit` of the person's events numbered after `seq`, in sequence order.
    func events(of user: UserID, after seq: UInt64, limit: Int) async throws -> [UserEvent]

    /// The newest sequence number given to the person (0 before the first event), whether or
    /// not that event is still kept.
    func lastEventSeq(of user: UserID) async throws -> UInt64

    /// The oldest sequence number of the person's events still kept; `nil` when none is.
    func firstKeptEventSeq(of user: UserID) async throws -> UInt64?
}
