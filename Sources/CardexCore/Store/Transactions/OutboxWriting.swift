import Foundation

/// Queuing messages for the notification worker. How often a person is messaged is decided above.
public protocol OutboxWriting: AnyObject {
    /// How many messages of `kind` were queued to `phone` after `since`.
    func messageCount(_ kind: OutboxMessage.Kind, to phone: PhoneNumber, since: Date) async throws -> Int

    /// Queues a message, due at once. `body` comes sealed (``MessageSealer``); it is stored as given.
    func queueMessage(_ kind: OutboxMessage.Kind, to phone: PhoneNumber, body: String, at time: Date) async throws
}
