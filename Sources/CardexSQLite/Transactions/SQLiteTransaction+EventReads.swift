import CardexCore
import Foundation
import GRDB

extension SQLiteTransaction {
    func events(of user: UserID, after seq: UInt64, limit: Int) async throws -> [UserEvent] {
        try EventRecord
            .filter(EventRecord.Columns.userID == user.rawValue && EventRecord.Columns.seq > Int64(seq))
            .order(EventRecord.Columns.seq)
            .limit(limit)
            .fetchAll(db)
            .map(\.event)
    }

    func events(in ranges: [EventRange]) async throws -> [UserEvent] {
        var events: [UserEvent] = []
        for range in ranges.sorted(by: { $0.user.rawValue < $1.user.rawValue }) {
            events +=
                try EventRecord
                .filter(
                    EventRecord.Columns.userID == range.user.rawValue && EventRecord.Columns.seq > Int64(range.after)
                        && EventRecord.Columns.seq <= Int64(range.through)
                )
                .order(EventRecord.Columns.seq)
                .fetchAll(db)
                .map(\.event)
        }
        return events
    }

    func lastEventSeq(of user: UserID) async throws -> UInt64 {
        UInt64(
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT last_seq FROM event_counters WHERE user_id = ?"), arguments: [user.rawValue]) ?? 0)
    }

    func firstKeptEventSeq(of user: UserID) async throws -> UInt64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MIN(seq) FROM events WHERE user_id = ?"), arguments: [user.rawValue])
            .map(UInt64.init)
    }
}
