import CardexCore
import Foundation
import GRDB

/// A row of `book_entries`: one address-book entry, stored as JSON in `content`.
struct BookEntryRecord: Codable, Sendable {
    var ownerId: String
    var clientEntryId: String
    var content: BookEntry
    var updatedAt: Date
}

extension BookEntryRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "book_entries"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let ownerID = Column("owner_id")
        static let clientEntryID = Column("client_entry_id")
    }
}
