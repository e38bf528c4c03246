import CardexCore
import Foundation
import PostgresNIO

extension PostgresTransaction {
    func events(of user: UserID, after seq: UInt64, limit: Int) async throws -> [UserEvent] {
        try await rows(
            """
            SELECT seq, created_at, payload FROM events WHERE user_id = \(user.rawValue) AND seq > \(Int64(seq))
            ORDER BY seq LIMIT \(limit)
            """
        ).map { row in
            let (seq, createdAt, payload) = try row.decode((Int64, Date, String).self)
            return try Self.event(of: user, seq: seq, createdAt: createdAt, payload: payload)
        }
    }

    /// An event as stored: its payload is ``StoredJSON``.
    private static func event(of user: UserID, seq: Int64, createdAt: Date, payload: String) throws -> UserEvent {
        UserEvent(user: user, seq: UInt64(seq), createdAt: createdAt, payload: try StoredJSON.decode(EventPayload.self, from: payload))
    }

    func events(in ranges: [EventRange]) async throws -> [UserEvent] {
        guard !ranges.isEmpty else { return [] }
        return try await rows(
            """
            SELECT e.user_id, e.seq, e.created_at, e.payload
            FROM UNNEST(\(ranges.map(\.user.rawValue))::text[], \(ranges.map { Int64($0.after) })::int8[],
                        \(ranges.map { Int64($0.through) })::int8[]) AS r (user_id, after, through)
            JOIN events e ON e.user_id = r.user_id AND e.seq > r.after AND e.seq <= r.through
            ORDER BY e.user_id, e.seq
            """
        ).map { row in
            let (user, seq, createdAt, payload) = try row.decode((String, Int64, Date, String).self)
            return try Self.event(of: UserID(rawValue: user), seq: seq, createdAt: createdAt, payload: payload)
        }
    }

    func lastEventSeq(of user: UserID) async throws -> UInt64 {
        UInt64(try await value("SELECT last_seq FROM event_counters WHERE user_id = \(user.rawValue)", as: Int64.self) ?? 0)
    }

    func firstKeptEventSeq(of user: UserID) async throws -> UInt64? {
        try await value("SELECT min(seq) FROM events WHERE user_id = \(user.rawValue)", as: Int64?.self).flatMap { $0 }.map(UInt64.init)
    }
}
