import CardexCore
import Foundation
import PostgresNIO

extension PostgresTransaction {
    func messageCount(_ kind: OutboxMessage.Kind, to phone: PhoneNumber, since: Date) async throws -> Int {
        try await value(
            "SELECT count(*) FROM outbox WHERE recipient = \(phone.e164) AND kind = \(kind.rawValue) AND created_at > \(since)",
            as: Int.self) ?? 0
    }

    func queueMessage(_ kind: OutboxMessage.Kind, to phone: PhoneNumber, body: String, at time: Date) async throws {
        try await execute(
            """
            INSERT INTO outbox (kind, recipient, body, created_at, next_attempt_at, attempts)
            VALUES (\(kind.rawValue), \(phone.e164), \(body), \(time), \(time), 0)
            """)
    }
}
