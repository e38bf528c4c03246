import Foundation

/// The persisted event log.
public protocol EventStore: Sendable {
    /// Up to `limit` of the person's events after `seq`, in order.
    /// - Throws: ``ResyncRequired`` when events after `seq` were dropped or `seq` is newer than
    ///   the newest event.
    func events(of user: UserID, after seq: UInt64, limit: Int) async throws -> [UserEvent]

    /// The newest sequence number given to the person (0 before the first event).
    func latestEventSeq(of user: UserID) async throws -> UInt64
}

/// A device asked to resume from a point the log no longer holds (or never did).
public struct ResyncRequired: Error, Sendable, Hashable {
    /// The oldest sequence number still kept (0 when none is).
    public var oldestAvailable: UInt64
    /// The newest sequence number given.
    public var latest: UInt64

    /// Creates a value.
    public init(oldestAvailable: UInt64, latest: UInt64) {
        self.oldestAvailable = oldestAvailable
        self.latest = latest
    }
}
