import Foundation

/// A message waiting in the notification outbox for delivery over an offline channel
/// (SMS gateway, e-mail, file log).
public struct OutboxMessage: Sendable, Hashable, Codable {
    /// Why the message is sent.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A verification code for registration, login or a number change.
        case verificationCode = "verification_code"
        /// An invitation to someone not yet registered (a share or group invitation waits).
        case invitation
        /// Any other notice to a person (for example: turn on your cloud address book).
        case notice
    }

    /// The outbox row id; delivery adapters pass it on so receivers can drop duplicates.
    public var id: Int64
    /// Why the message is sent.
    public var kind: Kind
    /// Where it goes: a phone number in E.164.
    public var recipient: String
    /// The human-readable text; as stored and read from an ``OutboxStore``, sealed
    /// (``MessageSealer``), and opened by the worker before a ``Notifier`` gets it.
    public var body: String
    /// When it was queued.
    public var createdAt: Date
    /// Delivery attempts made so far (failed ones; a delivered message is no longer due).
    public var attempts: Int

    /// Creates a message value.
    public init(id: Int64, kind: Kind, recipient: String, body: String, createdAt: Date, attempts: Int) {
        self.id = id
        self.kind = kind
        self.recipient = recipient
        self.body = body
        self.createdAt = createdAt
        self.attempts = attempts
    }
}
