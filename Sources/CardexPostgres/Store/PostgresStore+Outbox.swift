import CardexCore
import Foundation
import PostgresNIO

/// The notification worker's side of the outbox, outside any use case's transaction: each call
/// is one statement.
///
/// An erased body (a delivered or abandoned message) is overwritten in the row at once, but
/// PostgreSQL keeps the old row version until vacuum, and its write-ahead log until the segment
/// is recycled. That reveals nothing: bodies arrive sealed (`MessageSealer`, keyed by a secret
/// kept outside the database), so the table, its old row versions, the WAL and backups hold a
/// verification code only as ciphertext.
extension PostgresStore: OutboxStore {
    public func dueMessages(at now: Date, limit: Int) async throws -> [OutboxMessage] {
        try await withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT id, kind, recipient, body, created_at, attempts FROM outbox
                WHERE next_attempt_at <= \(now) ORDER BY next_attempt_at, id LIMIT \(limit)
                """,
                logger: pool.logger)
            var messages: [OutboxMessage] = []
            for try await (id, kind, recipient, body, createdAt, attempts) in rows.decode((Int64, String, String, String, Date, Int64).self) {
                guard let kind = OutboxMessage.Kind(rawValue: kind) else { continue }
                messages.append(OutboxMessage(id: id, kind: kind, recipient: recipient, body: body, createdAt: createdAt, attempts: Int(attempts)))
            }
            return messages
        }
    }

    /// One UPDATE of the row while it is due: of two workers claiming it at once, the second
    /// waits for the first's row lock, then finds the row no longer due (READ COMMITTED
    /// re-checks the condition on the row the first left) and updates nothing.
    public func claim(_ id: Int64, at now: Date, until leaseEnd: Date) async throws -> Bool {
        try await withConnection { connection in
            let rows = try await connection.query(
                "UPDATE outbox SET next_attempt_at = \(leaseEnd) WHERE id = \(id) AND next_attempt_at <= \(now) RETURNING id",
                logger: pool.logger)
            for try await _ in rows { return true }
            return false
        }
    }

    public func nextAttemptDate() async throws -> Date? {
        try await withConnection { connection in
            let rows = try await connection.query("SELECT min(next_attempt_at) FROM outbox", logger: pool.logger)
            for try await (date, ) in rows.decode((Date?,).self) { return date }
            return nil
        }
    }

    public func pendingCount() async throws -> Int {
        try await withConnection { connection in
            let rows = try await connection.query("SELECT count(*) FROM outbox WHERE next_attempt_at IS NOT NULL", logger: pool.logger)
            for try await (count, ) in rows.decode((Int64,).self) { return Int(count) }
            return 0
        }
    }

    public func markDelivered(_ id: Int64, at date: Date) async throws {
        try await withConnection { connection in
            try await connection.query(
                "UPDATE outbox SET delivered_at = \(date), next_attempt_at = NULL, body = '', last_error = NULL WHERE id = \(id)",
                logger: pool.logger)
        }
    }

    public func markFailed(_ id: Int64, error: String, retryAt: Date?) async throws {
        let givenUp = retryAt == nil
        try await withConnection { connection in
            // A message given up on keeps its error for diagnosis but not its body (it may hold a code).
            try await connection.query(
                """
                UPDATE outbox SET attempts = attempts + 1, last_error = \(String(error.prefix(500))), next_attempt_at = \(retryAt),
                    body = CASE WHEN \(givenUp) THEN '' ELSE body END
                WHERE id = \(id)
                """,
                logger: pool.logger)
        }
    }
}
