import CardexCore
import Foundation
import PostgresNIO

extension PostgresTransaction {
    func appendEvent(_ payload: EventPayload, to user: UserID, at time: Date) async throws -> UserEvent {
        // One round trip: the counter's upsert and the event's insert. Under SERIALIZABLE a
        // concurrent append to the same person makes one of the two fail (40001) and run again
        // (see ``PostgresStore``), so the numbers stay gap-free.
        let encoded = try StoredJSON.encode(payload)
        let seq = try await value(
            """
            WITH next AS (
                INSERT INTO event_counters (user_id, last_seq) VALUES (\(user.rawValue), 1)
                ON CONFLICT (user_id) DO UPDATE SET last_seq = event_counters.last_seq + 1
                RETURNING last_seq
            )
            INSERT INTO events (user_id, seq, created_at, payload)
            SELECT \(user.rawValue), last_seq, \(time), \(encoded) FROM next
            RETURNING seq
            """, as: Int64.self)
        guard let seq else { throw PostgresStoreError.noRowReturned("appendEvent") }
        return UserEvent(user: user, seq: UInt64(seq), createdAt: time, payload: payload)
    }

    func pruneEvents(of user: UserID, before: Date, throughSeq: UInt64) async throws {
        // Sequence numbers grow with time, so everything below the oldest event still inside
        // the window is older.
        try await execute(
            """
            DELETE FROM events WHERE user_id = \(user.rawValue)
              AND (seq < (SELECT min(seq) FROM events WHERE user_id = \(user.rawValue) AND created_at >= \(before))
                   OR seq <= \(Int64(throughSeq)))
            """)
    }
}
