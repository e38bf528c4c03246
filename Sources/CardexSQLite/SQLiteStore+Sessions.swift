import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    /// A session's last-use time is written at most this often, so an authenticated call is a
    /// read, not a write.
    static let lastUseResolution: TimeInterval = 60

    public func session(tokenHash: Data, now: Date) async throws -> DeviceSession? {
        let found = try await readOffLoop { db in
            try SessionRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM sessions WHERE token_hash = ?"), arguments: [tokenHash])
        }
        guard var record = found else { return nil }
        if now.timeIntervalSince(record.lastUsedAt) >= Self.lastUseResolution {
            record.lastUsedAt = now
            let touched = record
            // The session may have been revoked since the read; then nothing is updated.
            let stillThere = try await pool.write { db in
                try SessionRecord.filter(key: touched.id)
                    .updateAll(db, SessionRecord.Columns.lastUsedAt.set(to: touched.lastUsedAt)) > 0
            }
            guard stillThere else { return nil }
        }
        return record.session
    }

    public func sessions(of user: UserID) async throws -> [DeviceSession] {
        try await pool.read { db in
            try SessionRecord.filter(SessionRecord.Columns.userID == user.rawValue)
                .order(SessionRecord.Columns.createdAt, Column.rowID)
                .fetchAll(db).map(\.session)
        }
    }

    public func revokeSession(_ id: String, of user: UserID) async throws -> Bool {
        try await pool.write { db in
            try SessionRecord.filter(key: id).filter(SessionRecord.Columns.userID == user.rawValue).deleteAll(db) > 0
        }
    }
}
