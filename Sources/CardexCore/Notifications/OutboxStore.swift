import Foundation

/// The persistent side of the notification outbox, as the delivery worker sees it.
///
/// Guarantees: a message stays due until ``markDelivered(_:at:)`` is called for it, so a
/// message queued or in flight when the server stops is delivered after a restart (delivery
/// is at least once). Messages are queued by the services, inside the transaction that makes
/// them necessary (a code row and its message commit together).
public protocol OutboxStore: Sendable {
    /// Up to `limit` messages due at `now` (never delivered, not given up, retry time passed),
    /// oldest first.
    func dueMessages(at now: Date, limit: Int) async throws -> [OutboxMessage]

    /// The earliest retry time among pending messages, or `nil` when none is pending.
    func nextAttemptDate() async throws -> Date?

    /// Records a successful delivery. The stored body is erased then, from every file of the
    /// store: it may hold a code that is still valid.
    func markDelivered(_ id: Int64, at date: Date) async throws

    /// Records a failed attempt: the message is due again at `retryAt`, or never again when
    /// `retryAt` is `nil` (the worker gave up; its body is erased then, as on delivery).
    func markFailed(_ id: Int64, error: String, retryAt: Date?) async throws
}
