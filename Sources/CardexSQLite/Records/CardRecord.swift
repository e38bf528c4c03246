import CardexCore
import CardexStorage
import Foundation
import GRDB

/// A row of `cards` (the current version) or `card_history` (earlier ones). The card is stored in
/// `content` as its ``StoredCardCodec`` bytes (a BLOB), not through `Codable`: columns are coded
/// by hand below.
struct CardRecord: Sendable {
    var userId: String
    var version: Int64
    var etag: String
    var content: Card
    var updatedAt: Date
}

extension CardRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "cards"

    enum Columns {
        static let userID = Column("user_id")
        static let version = Column("version")
        static let etag = Column("etag")
        static let content = Column("content")
        static let updatedAt = Column("updated_at")
    }

    /// The history table has the same columns.
    static let historyTable = "card_history"

    init(row: Row) throws {
        userId = row[Columns.userID]
        version = row[Columns.version]
        etag = row[Columns.etag]
        content = try row.withUnsafeData(at: Columns.content) { try Self.card(from: $0) }
        updatedAt = row[Columns.updatedAt]
    }

    func encode(to container: inout PersistenceContainer) {
        container[Columns.userID] = userId
        container[Columns.version] = version
        container[Columns.etag] = etag
        container[Columns.content] = StoredCardCodec.encode(content)
        container[Columns.updatedAt] = updatedAt
    }

    /// The card stored as `content` (nil when the column is NULL, which the schema forbids).
    static func card(from content: Data?) throws -> Card {
        guard let content else { throw StoredCardError.malformed("the content column is NULL") }
        return try StoredCardCodec.decode(content)
    }
}

extension CardRecord {
    var stored: StoredCard {
        StoredCard(card: content, version: UInt64(version), etag: etag, updatedAt: updatedAt)
    }
}
