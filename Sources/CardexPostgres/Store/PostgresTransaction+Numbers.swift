import CardexCore
import Foundation
import PostgresNIO

extension PostgresTransaction {
    func holder(of phone: PhoneNumber) async throws -> NumberHolder? {
        var holder: NumberHolder?
        for try await found in try await connection.execute(HolderStatement(phone: phone), logger: logger) { holder = found }
        return holder
    }

    func formerHolders(of phone: PhoneNumber) async throws -> [NumberHolder] {
        try await rows(
            """
            SELECT former_phones.user_id, users.discoverable_by FROM former_phones JOIN users ON users.id = former_phones.user_id
            WHERE former_phones.phone = \(phone.e164) ORDER BY former_phones.until DESC
            """
        ).map(Self.numberHolder)
    }

    /// A row of user id and `discoverable_by`; a setting this version does not know finds no one.
    fileprivate static func numberHolder(_ row: PostgresRow) throws -> NumberHolder {
        let (user, discoverability) = try row.decode((String, String).self)
        return NumberHolder(user: UserID(rawValue: user), discoverability: Discoverability(rawValue: discoverability) ?? .nobody)
    }
}

/// The two columns a lookup needs of a number's holder, not the account row: it runs once per
/// number looked up, so it is a prepared statement (parsed and planned once per connection).
private struct HolderStatement: PostgresPreparedStatement {
    static let sql = "SELECT id, discoverable_by FROM users WHERE phone = $1"
    static let bindingDataTypes: [PostgresDataType] = [.text]

    let phone: PhoneNumber

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(phone.e164)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> NumberHolder { try PostgresTransaction.numberHolder(row) }
}
