import CardexCore
import Foundation
import PostgresNIO

extension PostgresTransaction {
    func appendEvents(_ events: [NewEvent], at time: Date) async throws -> [UserEvent] {
        guard !events.isEmpty else { return [] }
        // One round trip however many people: each person's counter is raised by their number of
        // events in one upsert, and their events take the numbers below the new value, in the
        // order given (`ord`). The upsert locks counter rows in user-id order, so two batches over
        // overlapping people wait for each other instead of deadlocking; under SERIALIZABLE the
        // later one then fails (40001) and runs again (see ``PostgresStore``), so the numbers stay
        // gap-free.
        let users = events.map(\.user.rawValue)
        let payloads = try events.map { try StoredJSON.encode($0.payload) }
        let rows = try await rows(
            """
            WITH batch AS (
                SELECT user_id, payload, ord FROM UNNEST(\(users)::text[], \(payloads)::text[])
                    WITH ORDINALITY AS b (user_id, payload, ord)
            ),
            counters AS (
                INSERT INTO event_counters AS c (user_id, last_seq)
                SELECT user_id, count(*) FROM batch GROUP BY user_id ORDER BY user_id COLLATE "C"
                ON CONFLICT (user_id) DO UPDATE SET last_seq = c.last_seq + EXCLUDED.last_seq
                RETURNING user_id, last_seq
            ),
            inserted AS (
                INSERT INTO events (user_id, seq, created_at, payload)
                SELECT b.user_id,
                       c.last_seq - count(*) OVER mine + row_number() OVER (mine ORDER BY b.ord),
                       \(time)::timestamptz, b.payload
                FROM batch b JOIN counters c USING (user_id)
                WINDOW mine AS (PARTITION BY b.user_id)
                RETURNING user_id, seq
            )
            SELECT user_id, seq FROM inserted ORDER BY user_id, seq
            """)
        // Each person's numbers, lowest first, go to their entries in the order given.
        var numbers: [String: ArraySlice<Int64>] = [:]
        for row in rows {
            let (user, seq) = try row.decode((String, Int64).self)
            numbers[user, default: []].append(seq)
        }
        let stored = try events.map { event in
            guard let seq = numbers[event.user.rawValue]?.popFirst() else { throw PostgresStoreError.noRowReturned("appendEvents") }
            return UserEvent(user: event.user, seq: UInt64(seq), createdAt: time, payload: event.payload)
        }
        try await announce(stored)
        return stored
    }

    /// Tells the other instances that `events` were stored, one signal per person with their
    /// newest number, in one statement. NOTIFY is transactional: PostgreSQL delivers the signals
    /// when this transaction commits, and drops them if it rolls back (or is retried), so no
    /// instance is woken for events that are not in the log, and none is woken before they are.
    private func announce(_ events: [UserEvent]) async throws {
        var newest: [UserID: UInt64] = [:]
        for event in events { newest[event.user] = max(newest[event.user] ?? 0, event.seq) }
        let payloads = newest.map { InstanceSignal.eventsStored($0.key, through: $0.value, origin: instance).payload }
        try await execute("SELECT pg_notify(\(PostgresInstanceSignals.channel), p) FROM UNNEST(\(payloads)::text[]) AS p")
    }

    func pruneEvents(throughSeq: [UserID: UInt64], before: Date) async throws {
        guard !throughSeq.isEmpty else { return }
        // One round trip however many people. Sequence numbers grow with time, so everything
        // below the oldest event still inside the window is older: each person's cut is the
        // higher of that and their `through` (GREATEST skips the NULL of a person with no event in
        // the window, who keeps their events by time, as on SQLite).
        let people = throughSeq.sorted { $0.key.rawValue < $1.key.rawValue }  // user-id order, as the counters
        let users = people.map(\.key.rawValue)
        let through = people.map { Int64($0.value) }
        try await execute(
            """
            DELETE FROM events e
            USING (
                SELECT p.user_id, GREATEST(p.through,
                    (SELECT min(seq) - 1 FROM events w WHERE w.user_id = p.user_id AND w.created_at >= \(before)::timestamptz)) AS cut
                FROM UNNEST(\(users)::text[], \(through)::int8[]) AS p (user_id, through)
            ) c
            WHERE e.user_id = c.user_id AND e.seq <= c.cut
            """)
    }
}
