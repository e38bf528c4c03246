import CardexCore
import Foundation
import GRDB

extension SQLiteTransaction {
    func account(_ user: UserID) async throws -> Account? {
        try UserRecord.fetchOne(db, key: user.rawValue)?.account
    }

    func account(phone: PhoneNumber) async throws -> Account? {
        try UserRecord.filter(UserRecord.Columns.phone == phone.e164).fetchOne(db)?.account
    }
}
