import CardexCore
import Foundation
import GRDB

extension SQLiteTransaction {
    func appendEvent(_ payload: EventPayload, to user: UserID, at time: Date) async throws -> UserEvent {
        // The counter row's update takes the write lock SQLite's single writer holds anyway.
        let next = try db.cachedStatement(
            sql: """
                INSERT INTO event_counters (user_id, last_seq) VALUES (?, 1)
                ON CONFLICT (user_id) DO UPDATE SET last_seq = last_seq + 1
                RETURNING last_seq
                """)
        let seq = try Int64.fetchOne(next, arguments: [user.rawValue]) ?? 1
        try db.cachedStatement(sql: "INSERT INTO events (user_id, seq, created_at, payload) VALUES (?, ?, ?, ?)")
            .execute(arguments: [user.rawValue, seq, time, String(decoding: try eventEncoder.encode(payload), as: UTF8.self)])
        return UserEvent(user: user, seq: UInt64(seq), createdAt: time, payload: payload)
    }

    func pruneEvents(of user: UserID, before: Date, throughSeq: UInt64) async throws {
        // Sequence numbers grow with time, so everything below the oldest event still inside
        // the window is older; the scan stops at the first such event.
        try db.cachedStatement(
            sql: """
                DELETE FROM events WHERE user_id = ?1 AND seq < (
                    SELECT MIN(seq) FROM events WHERE user_id = ?1 AND created_at >= ?2)
                """
        ).execute(arguments: [user.rawValue, before])
        if throughSeq > 0 {
            try db.cachedStatement(sql: "DELETE FROM events WHERE user_id = ? AND seq <= ?")
                .execute(arguments: [user.rawValue, Int64(throughSeq)])
        }
    }
}
