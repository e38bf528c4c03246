import CardexCore
import Foundation
import PostgresNIO

extension PostgresTransaction {
    func account(_ user: UserID) async throws -> Account? {
        try await rows("SELECT \(unescaped: Self.accountColumns) FROM users WHERE id = \(user.rawValue)").first.map(Self.account)
    }

    func account(phone: PhoneNumber) async throws -> Account? {
        try await rows("SELECT \(unescaped: Self.accountColumns) FROM users WHERE phone = \(phone.e164)").first.map(Self.account)
    }

    func insertAccount(_ account: Account) async throws {
        let settings = account.settings
        try await execute(
            """
            INSERT INTO users (id, phone, created_at, cloud_address_book, auto_send_card, discoverable_by)
            VALUES (\(account.userID.rawValue), \(account.phone.e164), \(account.createdAt), \(settings.cloudAddressBook),
                    \(settings.autoSendCard), \(settings.discoverableBy.rawValue))
            """)
    }

    func updateAccount(_ account: Account) async throws {
        let settings = account.settings
        try await execute(
            """
            UPDATE users SET phone = \(account.phone.e164), created_at = \(account.createdAt),
                cloud_address_book = \(settings.cloudAddressBook), auto_send_card = \(settings.autoSendCard),
                discoverable_by = \(settings.discoverableBy.rawValue)
            WHERE id = \(account.userID.rawValue)
            """)
    }

    func eraseAccount(_ user: UserID, phones: [PhoneNumber]) async throws {
        // One statement: the lookup budget, the rows naming its numbers, then the user row, from
        // which sessions, cards, card history, shares, book, events, memberships, invitations and
        // mutual contacts cascade.
        let budget = LookupBudgetKey.account(user).rawValue
        let numbers = phones.map(\.e164)
        try await execute(
            """
            WITH paid AS (DELETE FROM lookup_paid WHERE key = \(budget)),
                 budget AS (DELETE FROM lookup_budgets WHERE key = \(budget)),
                 codes AS (DELETE FROM verification_codes WHERE phone = ANY(\(numbers))),
                 requests AS (DELETE FROM code_requests WHERE phone = ANY(\(numbers))),
                 messages AS (DELETE FROM outbox WHERE recipient = ANY(\(numbers)))
            DELETE FROM users WHERE id = \(user.rawValue)
            """)
    }

    func updateMemberPhones(of user: UserID, to phone: PhoneNumber) async throws {
        try await execute("UPDATE group_members SET phone = \(phone.e164) WHERE user_id = \(user.rawValue)")
    }

    private static let accountColumns = "id, phone, created_at, cloud_address_book, auto_send_card, discoverable_by"

    private static func account(_ row: PostgresRow) throws -> Account {
        let (id, phone, createdAt, cloudAddressBook, autoSendCard, discoverableBy) = try row.decode(
            (String, String, Date, Bool, Bool, String).self)
        return Account(
            userID: UserID(rawValue: id), phone: PhoneNumber(e164: phone), createdAt: createdAt,
            settings: AccountSettings(
                cloudAddressBook: cloudAddressBook, autoSendCard: autoSendCard,
                discoverableBy: Discoverability(rawValue: discoverableBy) ?? .contacts))
    }
}
