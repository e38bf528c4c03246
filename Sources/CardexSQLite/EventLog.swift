import CardexCore
import Foundation
import GRDB

/// Appends events inside a write transaction and remembers them, so the store can publish them
/// to online devices once the transaction has committed.
///
/// Appending gives the next sequence number of the person and prunes what the
/// ``EventPolicy`` no longer keeps: events past the retention window and beyond the count limit.
/// A card update can append thousands of events in one transaction, so the statements are
/// prepared once per connection (GRDB's statement cache) and the payload encoder is reused.
struct EventLog {
    let policy: EventPolicy
    let now: Date
    private(set) var appended: [UserEvent] = []
    /// Encodes payloads as GRDB encodes the record's JSON column, so ``EventRecord`` decodes them.
    private let encoder = EventRecord.databaseJSONEncoder(for: "payload")

    init(policy: EventPolicy, now: Date) {
        self.policy = policy
        self.now = now
    }

    mutating func append(_ payload: EventPayload, to user: UserID, _ db: Database) throws {
        let next = try db.cachedStatement(
            sql: """
                INSERT INTO event_counters (user_id, last_seq) VALUES (?, 1)
                ON CONFLICT (user_id) DO UPDATE SET last_seq = last_seq + 1
                RETURNING last_seq
                """)
        let seq = try Int64.fetchOne(next, arguments: [user.rawValue]) ?? 1
        let event = UserEvent(user: user, seq: UInt64(seq), createdAt: now, payload: payload)
        try db.cachedStatement(sql: "INSERT INTO events (user_id, seq, created_at, payload) VALUES (?, ?, ?, ?)")
            .execute(arguments: [user.rawValue, seq, now, String(decoding: try encoder.encode(payload), as: UTF8.self)])
        try prune(user, newest: seq, db)
        appended.append(event)
    }

    private func prune(_ user: UserID, newest seq: Int64, _ db: Database) throws {
        // Sequence numbers grow with time, so everything below the oldest event still inside
        // the window is outside it; the scan stops at the first such event.
        let cutoff = now.addingTimeInterval(-policy.retention.timeInterval)
        try db.cachedStatement(
            sql: """
                DELETE FROM events WHERE user_id = ?1 AND seq < (
                    SELECT MIN(seq) FROM events WHERE user_id = ?1 AND created_at >= ?2)
                """
        ).execute(arguments: [user.rawValue, cutoff])
        if seq > Int64(policy.maxEventsPerUser) {
            try db.cachedStatement(sql: "DELETE FROM events WHERE user_id = ? AND seq <= ?")
                .execute(arguments: [user.rawValue, seq - Int64(policy.maxEventsPerUser)])
        }
    }
}
