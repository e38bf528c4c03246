import CardexCore

/// Hands one outbox message to an offline channel (a file log, an SMS gateway's webhook).
///
/// Contract: ``deliver(_:)`` returns only once the channel has accepted the message, and
/// throws when it has not; any error means "not delivered, retry later" (the
/// ``NotificationWorker`` records it and schedules another attempt). A message may be handed
/// over more than once — after a crash, or when a receiver accepted it but its answer was lost
/// — so adapters pass ``OutboxMessage/id`` on for the receiver to drop duplicates.
///
/// Implementations are `Sendable` and may be called concurrently. They never log the body,
/// nor put it in a thrown error (errors are logged and stored): it may hold a verification code.
public protocol Notifier: Sendable {
    /// Delivers `message`, or throws an error that says what failed.
    func deliver(_ message: OutboxMessage) async throws
}
