import CardexCore
import Foundation
import GRDB

extension SQLiteTransaction {
    func messageCount(_ kind: OutboxMessage.Kind, to phone: PhoneNumber, since: Date) async throws -> Int {
        try OutboxRecord
            .filter(OutboxRecord.Columns.recipient == phone.e164 && OutboxRecord.Columns.kind == kind.rawValue)
            .filter(OutboxRecord.Columns.createdAt > since)
            .fetchCount(db)
    }

    func queueMessage(_ kind: OutboxMessage.Kind, to phone: PhoneNumber, body: String, at time: Date) async throws {
        var message = OutboxRecord(kind: kind, recipient: phone, body: body, now: time)
        try message.insert(db)
    }
}
