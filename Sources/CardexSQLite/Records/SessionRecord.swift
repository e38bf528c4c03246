import CardexCore
import Foundation
import GRDB

/// A row of `sessions`: a device session, found by the SHA-256 of its token.
struct SessionRecord: Codable, Sendable {
    var id: String
    var userId: String
    var tokenHash: Data
    var deviceName: String
    var createdAt: Date
    var lastUsedAt: Date
}

extension SessionRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "sessions"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let id = Column("id")
        static let userID = Column("user_id")
        static let tokenHash = Column("token_hash")
        static let createdAt = Column("created_at")
        static let lastUsedAt = Column("last_used_at")
    }
}

extension SessionRecord {
    /// Decodes a row by column name without `Codable`: every authenticated call reads one.
    init(row: Row) throws {
        id = row["id"]
        userId = row["user_id"]
        tokenHash = row["token_hash"]
        deviceName = row["device_name"]
        createdAt = row["created_at"]
        lastUsedAt = row["last_used_at"]
    }

    var session: DeviceSession {
        DeviceSession(id: id, userID: UserID(rawValue: userId), deviceName: deviceName, createdAt: createdAt, lastUsedAt: lastUsedAt)
    }
}
