import CardexCore
import Foundation
import PostgresNIO

extension PostgresTransaction {
    /// The two columns a holder needs, not the account row. (A lookup reads the holder inside
    /// its one statement, ``numberRows(of:for:absent:)``; this serves the other reads by number.)
    func holder(of phone: PhoneNumber) async throws -> NumberHolder? {
        try await rows("SELECT id, discoverable_by FROM users WHERE phone = \(phone.e164)").first.map(Self.numberHolder)
    }

    func formerHolders(of phone: PhoneNumber) async throws -> [NumberHolder] {
        try await rows(
            """
            SELECT former_phones.user_id, users.discoverable_by FROM former_phones JOIN users ON users.id = former_phones.user_id
            WHERE former_phones.phone = \(phone.e164) ORDER BY former_phones.until DESC
            """
        ).map(Self.numberHolder)
    }

    /// A row of user id and `discoverable_by`.
    private static func numberHolder(_ row: PostgresRow) throws -> NumberHolder {
        let (user, discoverability) = try row.decode((String, String).self)
        return numberHolder(user: user, discoverability: discoverability)
    }

    /// A holder as stored; a setting this version does not know finds no one.
    static func numberHolder(user: String, discoverability: String) -> NumberHolder {
        NumberHolder(user: UserID(rawValue: user), discoverability: Discoverability(rawValue: discoverability) ?? .nobody)
    }
}
