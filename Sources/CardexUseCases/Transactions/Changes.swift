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
    private let policy: EventPolicy
    /// Seals the bodies of the messages it queues.
    let sealer: MessageSealer
    /// The events appended so far, in order.
    public private(set) var appended: [UserEvent] = []
    /// Whether an outbox message was queued.
    public internal(set) var queuedMessages = false

    init(_ transaction: any WriteTransaction, now: Date, events: EventPolicy, sealer: MessageSealer) {
        self.transaction = transaction
        self.now = now
        self.policy = events
        self.sealer = sealer
    }

    /// Appends `payload` as the person's next event.
    public func append(_ payload: EventPayload, to user: UserID) async throws {
        try await append([NewEvent(payload, to: user)])
    }

    /// Appends `events` in the order given (a person may appear more than once), then prunes
    /// each person's log once: the backend does this in a fixed number of statements however
    /// many people there are, so a fan-out should collect its events and call this once.
    public func append(_ events: [NewEvent]) async throws {
        guard !events.isEmpty else { return }
        let stored = try await transaction.appendEvents(events, at: now)
        // A person's newest event in the batch decides how many of their older ones are over the limit.
        var newest: [UserID: UInt64] = [:]
        for event in stored { newest[event.user] = max(newest[event.user] ?? 0, event.seq) }
        let kept = UInt64(policy.maxEventsPerUser)
        try await transaction.pruneEvents(
            throughSeq: newest.mapValues { $0 > kept ? $0 - kept : 0 },
            before: now.addingTimeInterval(-policy.retention.timeInterval))
        appended.append(contentsOf: stored)
    }
}
