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
            return UserEvent(user: user, seq: UInt64(seq), createdAt: createdAt, payload: try StoredJSON.decode(EventPayload.self, from: payload))
        }
    }

    func lastEventSeq(of user: UserID) async throws -> UInt64 {
        UInt64(try await value("SELECT last_seq FROM event_counters WHERE user_id = \(user.rawValue)", as: Int64.self) ?? 0)
    }

    func firstKeptEventSeq(of user: UserID) async throws -> UInt64? {
        try await value("SELECT min(seq) FROM events WHERE user_id = \(user.rawValue)", as: Int64?.self).flatMap { $0 }.map(UInt64.init)
    }
}
