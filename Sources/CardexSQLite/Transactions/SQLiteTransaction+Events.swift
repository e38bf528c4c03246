import CardexCore
import Foundation
import GRDB

extension SQLiteTransaction {
    func appendEvents(_ events: [NewEvent], at time: Date) async throws -> [UserEvent] {
        // In process, so a statement per event costs no round trip: the cached statements run once
        // per event. The counter row's update takes the write lock SQLite's single writer holds anyway.
        let next = try db.cachedStatement(
            sql: """
                INSERT INTO event_counters (user_id, last_seq) VALUES (?, 1)
                ON CONFLICT (user_id) DO UPDATE SET last_seq = last_seq + 1
                RETURNING last_seq
                """)
        let insert = try db.cachedStatement(sql: "INSERT INTO events (user_id, seq, created_at, payload) VALUES (?, ?, ?, ?)")
        return try events.map { event in
            let seq = try Int64.fetchOne(next, arguments: [event.user.rawValue]) ?? 1
            try insert.execute(arguments: [event.user.rawValue, seq, time, String(decoding: try eventEncoder.encode(event.payload), as: UTF8.self)])
            return UserEvent(user: event.user, seq: UInt64(seq), createdAt: time, payload: event.payload)
        }
    }

    func pruneEvents(throughSeq: [UserID: UInt64], before: Date) async throws {
        // Sequence numbers grow with time, so everything below the oldest event still inside
        // the window is older; the scan stops at the first such event.
        let byTime = try db.cachedStatement(
            sql: """
                DELETE FROM events WHERE user_id = ?1 AND seq < (
                    SELECT MIN(seq) FROM events WHERE user_id = ?1 AND created_at >= ?2)
                """)
        let byNumber = try db.cachedStatement(sql: "DELETE FROM events WHERE user_id = ? AND seq <= ?")
        for (user, through) in throughSeq {
            try byTime.execute(arguments: [user.rawValue, before])
            if through > 0 { try byNumber.execute(arguments: [user.rawValue, Int64(through)]) }
        }
    }
}
