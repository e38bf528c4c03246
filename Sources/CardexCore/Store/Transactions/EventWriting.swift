import Foundation

/// The per-person event log as stored. Which events to append, and what to prune, is decided above.
///
/// Both operations take many people at once so a fan-out (one card update to every holder) costs a
/// backend a fixed number of statements, not a few per person; the one-person forms below are the
/// same operations with one element.
public protocol EventWriting: AnyObject {
    /// Stores each of `events` as its person's next event, in the order given, and returns them
    /// in that order with their sequence numbers: for each person, one more than the last given
    /// to them (1 for the first), so a person named twice gets two consecutive numbers, the
    /// earlier entry the lower one. Gap-free and in commit order even under concurrent
    /// transactions. Empty `events` do nothing.
    func appendEvents(_ events: [NewEvent], at time: Date) async throws -> [UserEvent]

    /// For each person in `throughSeq`, deletes their events older than `before` (by time) and
    /// those numbered at or below the person's value (0 for none by number). Pruning by time
    /// keeps everything of a person with no event at or after `before`; callers prune right after
    /// appending, so the newest event is always inside the window.
    func pruneEvents(throughSeq: [UserID: UInt64], before: Date) async throws
}

extension EventWriting {
    /// Stores `payload` as the person's next event and returns it with its sequence number: one
    /// more than the last given to the person (1 for the first), gap-free even under concurrent
    /// transactions. ``appendEvents(_:at:)`` with one event.
    public func appendEvent(_ payload: EventPayload, to user: UserID, at time: Date) async throws -> UserEvent {
        try await appendEvents([NewEvent(payload, to: user)], at: time)[0]
    }

    /// Deletes the person's events older than `before` (by time) and those numbered `throughSeq`
    /// or lower. ``pruneEvents(throughSeq:before:)`` with one person.
    public func pruneEvents(of user: UserID, before: Date, throughSeq: UInt64) async throws {
        try await pruneEvents(throughSeq: [user: throughSeq], before: before)
    }
}
