import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    public func dueMessages(at now: Date, limit: Int) async throws -> [OutboxMessage] {
        await scrubJournalIfOwed()
        return try await pool.read { db in
            try OutboxRecord.filter(OutboxRecord.Columns.nextAttemptAt <= now)
                .order(OutboxRecord.Columns.nextAttemptAt, OutboxRecord.Columns.id)
                .limit(limit)
                .fetchAll(db)
                .compactMap(\.message)
        }
    }

    public func claim(_ id: Int64, at now: Date, until leaseEnd: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND next_attempt_at <= ?", arguments: [leaseEnd, id, now])
            return db.changesCount > 0
        }
    }

    public func nextAttemptDate() async throws -> Date? {
        try await pool.read { db in
            try Date.fetchOne(db, OutboxRecord.select(min(OutboxRecord.Columns.nextAttemptAt)))
        }
    }

    public func pendingCount() async throws -> Int {
        try await pool.read { db in
            try OutboxRecord.filter(OutboxRecord.Columns.nextAttemptAt != nil).fetchCount(db)
        }
    }

    public func markDelivered(_ id: Int64, at date: Date) async throws {
        let kind = try await pool.write { db in
            try String.fetchOne(
                db, sql: "UPDATE outbox SET delivered_at = ?, next_attempt_at = NULL, body = '', last_error = NULL WHERE id = ? RETURNING kind",
                arguments: [date, id])
        }
        if Self.heldCode(kind) { await scrubJournal() }
    }

    public func markFailed(_ id: Int64, error: String, retryAt: Date?) async throws {
        let kind = try await pool.write { db in
            // A message given up on keeps its error for diagnosis but not its body (it may hold a code).
            try String.fetchOne(
                db,
                sql: """
                    UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?,
                        body = CASE WHEN ? IS NULL THEN '' ELSE body END
                    WHERE id = ? RETURNING kind
                    """,
                arguments: [String(error.prefix(500)), retryAt, retryAt, id])
        }
        if retryAt == nil, Self.heldCode(kind) { await scrubJournal() }
    }

    /// Whether a message of `kind` carried a verification code: its erased body must leave the
    /// write-ahead log too.
    private static func heldCode(_ kind: String?) -> Bool {
        kind == OutboxMessage.Kind.verificationCode.rawValue
    }
}
