import CardexCore
import Foundation

/// One write transaction of a use case: the backend's transaction, the time it runs at, and what
/// it appended, for ``UseCaseStore`` to publish after the commit.
///
/// Appending an event gives it the person's next sequence number and prunes what the
/// ``EventPolicy`` no longer keeps: events past the retention window and beyond the count limit.
/// Used by one task only (it is not `Sendable`).
public final class Changes {
    /// The backend's transaction.
    public let transaction: any WriteTransaction
    /// When the use case runs: every row it writes carries this time.
    public let now: Date
    private let events: EventPolicy
    /// Seals the bodies of the messages it queues.
    let sealer: MessageSealer
    /// The events appended so far, in order.
    public private(set) var appended: [UserEvent] = []
    /// Whether an outbox message was queued.
    public internal(set) var queuedMessages = false

    init(_ transaction: any WriteTransaction, now: Date, events: EventPolicy, sealer: MessageSealer) {
        self.transaction = transaction
        self.now = now
        self.events = events
        self.sealer = sealer
    }

    /// Appends `payload` as the person's next event.
    public func append(_ payload: EventPayload, to user: UserID) async throws {
        let event = try await transaction.appendEvent(payload, to: user, at: now)
        let overflow = event.seq > UInt64(events.maxEventsPerUser) ? event.seq - UInt64(events.maxEventsPerUser) : 0
        try await transaction.pruneEvents(of: user, before: now.addingTimeInterval(-events.retention.timeInterval), throughSeq: overflow)
        appended.append(event)
    }
}
