import Foundation

/// The per-person event log as stored. Which events to append, and what to prune, is decided above.
public protocol EventWriting: AnyObject {
    /// Stores `payload` as the person's next event and returns it with its sequence number: one
    /// more than the last given to the person (1 for the first), gap-free even under concurrent
    /// transactions.
    func appendEvent(_ payload: EventPayload, to user: UserID, at time: Date) async throws -> UserEvent

    /// Deletes the person's events older than `before` (by time) and those numbered `throughSeq`
    /// or lower.
    func pruneEvents(of user: UserID, before: Date, throughSeq: UInt64) async throws
}
