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
