import CardexCore
import Foundation
import GRDB

/// A row of `users`.
struct UserRecord: Codable, Sendable {
    var id: String
    var phone: String
    var createdAt: Date
    var cloudAddressBook: Bool
    var autoSendCard: Bool
    var discoverableBy: String
}

extension UserRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "users"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let id = Column("id")
        static let phone = Column("phone")
    }
}

extension UserRecord {
    init(_ account: Account) {
        id = account.userID.rawValue
        phone = account.phone.e164
        createdAt = account.createdAt
        cloudAddressBook = account.settings.cloudAddressBook
        autoSendCard = account.settings.autoSendCard
        discoverableBy = account.settings.discoverableBy.rawValue
    }

    var account: Account {
        Account(
            userID: UserID(rawValue: id),
            phone: PhoneNumber(e164: phone),
            createdAt: createdAt,
            settings: AccountSettings(
                cloudAddressBook: cloudAddressBook,
                autoSendCard: autoSendCard,
                discoverableBy: Discoverability(rawValue: discoverableBy) ?? .contacts
            )
        )
    }
}
