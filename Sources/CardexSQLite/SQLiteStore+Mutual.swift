import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Brings `user`'s mutual contacts up to date (patent CN103248655A claim 6): the registered
    /// people whose number is in the user's address book and whose book holds the user's number.
    /// Called when the book changes, when the user registers and when their number changes.
    /// A pair that becomes (or stops being) mutual gets each side's new view of the other's card.
    static func matchMutualContacts(of user: UserID, log: inout EventLog, _ db: Database) throws {
        let now = log.now
        let matched = Set(try String.fetchAll(
            db,
            sql: """
                SELECT DISTINCT u.id FROM book_numbers mine JOIN users u ON u.phone = mine.phone
                WHERE mine.owner_id = ?1 AND u.id != ?1
                  AND EXISTS (SELECT 1 FROM book_numbers theirs JOIN users me ON me.id = ?1
                              WHERE theirs.owner_id = u.id AND theirs.phone = me.phone)
                """,
            arguments: [user.rawValue]))
        let current = Set(try String.fetchAll(
            db, sql: "SELECT contact_id FROM mutual_contacts WHERE user_id = ?", arguments: [user.rawValue]))
        for added in matched.subtracting(current) {
            for (a, b) in [(user.rawValue, added), (added, user.rawValue)] {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO mutual_contacts (user_id, contact_id, since) VALUES (?, ?, ?)", arguments: [a, b, now])
            }
        }
        for removed in current.subtracting(matched) {
            try db.execute(
                sql: "DELETE FROM mutual_contacts WHERE (user_id = ?1 AND contact_id = ?2) OR (user_id = ?2 AND contact_id = ?1)",
                arguments: [user.rawValue, removed])
        }
        for other in matched.symmetricDifference(current).map(UserID.init(rawValue:)) {
            for (reader, owner) in [(user, other), (other, user)] {
                try log.append(.cardUpdated(try view(of: owner, for: reader, db)), to: reader, db)
            }
        }
    }

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
