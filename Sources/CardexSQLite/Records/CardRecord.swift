import CardexCore
import Foundation
import GRDB

/// A row of `cards` (the current version) or `card_history` (earlier ones). The card is stored as
/// JSON in `content`.
struct CardRecord: Codable, Sendable {
    var userId: String
    var version: Int64
    var etag: String
    var content: Card
    var updatedAt: Date
}

extension CardRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "cards"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let userID = Column("user_id")
        static let version = Column("version")
    }

    /// The history table has the same columns.
    static let historyTable = "card_history"
}

extension CardRecord {
    var stored: StoredCard {
        StoredCard(card: content, version: UInt64(version), etag: etag, updatedAt: updatedAt)
    }
}
