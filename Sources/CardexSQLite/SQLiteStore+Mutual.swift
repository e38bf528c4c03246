import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    static func isMutualContact(_ reader: UserID, _ owner: UserID, _ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM mutual_contacts WHERE user_id = ? AND contact_id = ?)"),
            arguments: [reader.rawValue, owner.rawValue]) ?? false
    }

    /// The people `user` is a mutual contact of.
    static func mutualContacts(of user: UserID, _ db: Database) throws -> [UserID] {
        try String.fetchAll(db, sql: "SELECT user_id FROM mutual_contacts WHERE contact_id = ?", arguments: [user.rawValue])
            .map(UserID.init(rawValue:))
    }
}
