import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Numbers a person no longer has, for finding them by an old number.
    static func recordFormerPhones(_ phones: [String], of user: UserID, now: Date, _ db: Database) throws {
        for phone in phones {
            try db.execute(
                sql: "INSERT OR REPLACE INTO former_phones (phone, user_id, until) VALUES (?, ?, ?)",
                arguments: [phone, user.rawValue, now])
        }
    }
}
