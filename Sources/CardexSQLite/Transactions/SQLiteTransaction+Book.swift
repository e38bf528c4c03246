import CardexCore
import Foundation
import GRDB

extension SQLiteTransaction {
    func bookEntry(_ id: String, of owner: UserID) async throws -> BookEntry? {
        let key = [BookEntryRecord.Columns.ownerID.name: owner.rawValue, BookEntryRecord.Columns.clientEntryID.name: id]
        return try BookEntryRecord.fetchOne(db, key: key)?.content
    }

    func putBookEntry(_ entry: BookEntry, of owner: UserID, at time: Date) async throws {
        try SQLiteStore.putBookEntry(entry, of: owner, now: time, db)
    }
}
