/// How long events are kept, and how many.
public struct EventPolicy: Sendable, Hashable {
    /// Events older than this are dropped; a device that was away longer must resync.
    public var retention: Duration
    /// Most events kept per person; older ones are dropped first.
    public var maxEventsPerUser: Int

    /// Creates a policy.
    public init(retention: Duration, maxEventsPerUser: Int) {
        self.retention = retention
        self.maxEventsPerUser = maxEventsPerUser
    }

    /// Events kept 30 days, at most 10,000 per person.
    public static var defaults: EventPolicy { EventPolicy(retention: .seconds(30 * 24 * 3600), maxEventsPerUser: 10_000) }
}
