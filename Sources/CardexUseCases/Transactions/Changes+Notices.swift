import CardexCore
import Foundation

extension Changes {
    /// Queues an offline message to `phone`, unless one of the same kind went to it within
    /// `interval`: at most one of a kind per number per interval, however many shares or
    /// invitations are sent to it. The body is stored sealed (``MessageSealer``).
    public func notify(_ kind: OutboxMessage.Kind, to phone: PhoneNumber, _ body: String, interval: Duration) async throws {
        let recent = try await transaction.messageCount(kind, to: phone, since: now.addingTimeInterval(-interval.timeInterval))
        guard recent == 0 else { return }
        try await send(kind, to: phone, body)
    }
}

extension Changes {
    /// Queues a message to `phone` whatever was sent before (a verification code). The body is
    /// stored sealed (``MessageSealer``): the database never holds the code in plain text.
    public func send(_ kind: OutboxMessage.Kind, to phone: PhoneNumber, _ body: String) async throws {
        try await transaction.queueMessage(kind, to: phone, body: sealer.seal(body, kind: kind, recipient: phone.e164), at: now)
        queuedMessages = true
    }
}
