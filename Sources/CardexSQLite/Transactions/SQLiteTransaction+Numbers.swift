import CardexCore
import Foundation
import GRDB

extension SQLiteTransaction {
    func holder(of phone: PhoneNumber) async throws -> NumberHolder? {
        // The two columns a lookup needs, not the account row: it runs once per number looked up.
        try Row.fetchOne(db.cachedStatement(sql: "SELECT id, discoverable_by FROM users WHERE phone = ?"), arguments: [phone.e164])
            .map(Self.numberHolder)
    }

    func formerHolders(of phone: PhoneNumber) async throws -> [NumberHolder] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT former_phones.user_id, users.discoverable_by FROM former_phones JOIN users ON users.id = former_phones.user_id
                    WHERE former_phones.phone = ? ORDER BY former_phones.until DESC
                    """),
            arguments: [phone.e164]
        ).map(Self.numberHolder)
    }

    /// A row of user id and `discoverable_by`; a setting this version does not know finds no one.
    private static func numberHolder(_ row: Row) -> NumberHolder {
        NumberHolder(user: UserID(rawValue: row[0]), discoverability: Discoverability(rawValue: row[1]) ?? .nobody)
    }
}
