import CardexCore
import Foundation

/// The JSON object the adapters write for a message, one per line in the file log and as the
/// webhook's request body:
/// `{"body":"…","created_at":"2025-01-31T12:00:00Z","id":42,"kind":"verification_code","to":"+4915…"}`.
/// Keys are sorted so the output is stable; `created_at` is ISO 8601 in UTC, whole seconds.
struct NotificationPayload: Encodable {
    var id: Int64
    var kind: String
    var to: String
    var body: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, kind, to, body
        case createdAt = "created_at"
    }

    init(_ message: OutboxMessage) {
        id = message.id
        kind = message.kind.rawValue
        to = message.recipient
        body = message.body
        createdAt = message.createdAt
    }

    /// The encoded object, without a trailing newline.
    func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
