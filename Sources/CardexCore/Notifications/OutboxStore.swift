import Foundation

/// The persistent side of the notification outbox, as the delivery worker sees it.
///
/// Guarantees: a message stays due until ``markDelivered(_:at:)`` is called for it, so a
/// message queued or in flight when the server stops is delivered after a restart (delivery
/// is at least once). Messages are queued by the services, inside the transaction that makes
/// them necessary (a code row and its message commit together).
///
/// Several workers (one per server instance on one database) share the outbox: a worker
/// delivers a message only after ``claim(_:at:until:)`` gave it to it, and a claim is given to
/// one worker at a time. A claim lapses at its end, so a message whose worker died is due again
/// then, and another worker delivers it.
public protocol OutboxStore: Sendable {
    /// Up to `limit` messages due at `now` (never delivered, not given up, retry time passed),
    /// oldest first.
    func dueMessages(at now: Date, limit: Int) async throws -> [OutboxMessage]

    /// Takes message `id` for one delivery attempt when it is due at `now`: it is then not due
    /// before `leaseEnd` (unless its outcome is recorded first), so no other worker takes it
    /// meanwhile. `false` when it is not due: another worker took it, or it was delivered or
    /// given up.
    func claim(_ id: Int64, at now: Date, until leaseEnd: Date) async throws -> Bool

    /// The earliest retry time among pending messages, or `nil` when none is pending.
    func nextAttemptDate() async throws -> Date?

    /// How many messages are pending: neither delivered nor given up (claimed ones included).
    func pendingCount() async throws -> Int

    /// Records a successful delivery. The stored body is erased then, from every file of the
    /// store: it may hold a code that is still valid.
    func markDelivered(_ id: Int64, at date: Date) async throws

    /// Records a failed attempt: the message is due again at `retryAt`, or never again when
    /// `retryAt` is `nil` (the worker gave up; its body is erased then, as on delivery).
    func markFailed(_ id: Int64, error: String, retryAt: Date?) async throws
}
