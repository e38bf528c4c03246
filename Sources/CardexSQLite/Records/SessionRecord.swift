import CardexCore
import Foundation
import GRDB

/// A row of `sessions`: a device or app-password session, found by the SHA-256 of its secret.
struct SessionRecord: Codable, Sendable {
    var id: String
    var userId: String
    var tokenHash: Data
    var deviceName: String
    var createdAt: Date
    var lastUsedAt: Date
    /// ``DeviceSession/Kind``'s raw value.
    var kind: String
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
        kind = row["kind"]
    }

    /// The session; a kind this version does not know opens nothing, so it reads as an app
    /// password (which no RPC accepts) rather than as a device.
    var session: DeviceSession {
        DeviceSession(
            id: id, userID: UserID(rawValue: userId), deviceName: deviceName, createdAt: createdAt, lastUsedAt: lastUsedAt,
            kind: DeviceSession.Kind(rawValue: kind) ?? .appPassword)
    }
}
