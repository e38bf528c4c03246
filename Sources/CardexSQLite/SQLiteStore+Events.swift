import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    /// The newest sequence number, once it is clear the log still holds every event after `seq`:
    /// a reader at `seq` may resume only if nothing between it and the oldest kept event was
    /// dropped, and `seq` is not past the newest.
    /// - Throws: ``ResyncRequired`` otherwise.
    static func checkResumable(after seq: UInt64, of user: UserID, _ db: Database) throws -> UInt64 {
        let latest = try latestEventSeq(of: user, db)
        let oldest = try UInt64(
            Int64.fetchOne(db, sql: "SELECT MIN(seq) FROM events WHERE user_id = ?", arguments: [user.rawValue]) ?? Int64(latest + 1))
        guard seq <= latest, seq + 1 >= oldest else {
            throw ResyncRequired(oldestAvailable: oldest > latest ? 0 : oldest, latest: latest)
        }
        return latest
    }

    static func latestEventSeq(of user: UserID, _ db: Database) throws -> UInt64 {
        UInt64(try Int64.fetchOne(db, sql: "SELECT last_seq FROM event_counters WHERE user_id = ?", arguments: [user.rawValue]) ?? 0)
    }

    /// Runs `body` in a write transaction with an ``EventLog``; once it has committed, publishes
    /// the events it appended to the sink.
    func writeWithEvents<T: Sendable>(
        now: Date, _ body: @escaping @Sendable (Database, inout EventLog) throws -> T
    ) async throws -> T {
        let policy = eventPolicy
        let (value, events) = try await pool.write { db in
            var log = EventLog(policy: policy, now: now)
            let value = try body(db, &log)
            return (value, log.appended)
        }
        if !events.isEmpty { eventSink?.publish(events) }
        return value
    }
}
