import CardexCore
import Foundation
import GRDB

/// Offline messages queued inside a transaction, at most one of a kind per number per interval
/// however many shares or invitations are sent to it.
enum Notices {
    static func queue(
        _ kind: OutboxMessage.Kind, to phone: PhoneNumber, _ body: String, interval: Duration, now: Date, _ db: Database
    ) throws {
        let since = now.addingTimeInterval(-interval.timeInterval)
        let recent = try OutboxRecord
            .filter(OutboxRecord.Columns.recipient == phone.e164 && OutboxRecord.Columns.kind == kind.rawValue)
            .filter(OutboxRecord.Columns.createdAt > since)
            .fetchCount(db)
        guard recent == 0 else { return }
        var message = OutboxRecord(kind: kind, recipient: phone, body: body, now: now)
        try message.insert(db)
    }
}
