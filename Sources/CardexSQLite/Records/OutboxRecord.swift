import CardexCore
import Foundation
import GRDB

/// A row of `outbox`. Pending while `next_attempt_at` is set; delivered rows keep no body.
struct OutboxRecord: Codable, Sendable {
    var id: Int64?
    var kind: String
    var recipient: String
    var body: String
    var createdAt: Date
    var nextAttemptAt: Date?
    var attempts: Int
    var deliveredAt: Date?
    var lastError: String?
}

extension OutboxRecord: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "outbox"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let id = Column("id")
        static let recipient = Column("recipient")
        static let kind = Column("kind")
        static let createdAt = Column("created_at")
        static let nextAttemptAt = Column("next_attempt_at")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension OutboxRecord {
    /// A new pending message, due at once.
    init(kind: OutboxMessage.Kind, recipient: PhoneNumber, body: String, now: Date) {
        self.init(kind: kind.rawValue, recipient: recipient.e164, body: body, createdAt: now, nextAttemptAt: now, attempts: 0)
    }

    var message: OutboxMessage? {
        guard let id, let kind = OutboxMessage.Kind(rawValue: kind) else { return nil }
        return OutboxMessage(id: id, kind: kind, recipient: recipient, body: body, createdAt: createdAt, attempts: attempts)
    }
}
