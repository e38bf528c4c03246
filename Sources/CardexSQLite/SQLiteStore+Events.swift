import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    public func events(of user: UserID, after seq: UInt64, limit: Int) async throws -> [UserEvent] {
        try await pool.read { db in
            _ = try Self.checkResumable(after: seq, of: user, db)
            return try EventRecord
                .filter(EventRecord.Columns.userID == user.rawValue && EventRecord.Columns.seq > Int64(seq))
                .order(EventRecord.Columns.seq)
                .limit(limit)
                .fetchAll(db)
                .map(\.event)
        }
    }

    public func latestEventSeq(of user: UserID) async throws -> UInt64 {
        try await pool.read { db in try Self.latestEventSeq(of: user, db) }
    }

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
}
