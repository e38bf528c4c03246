import CardexCore
import Foundation
import GRDB

extension SQLiteTransaction {
    func insertAccount(_ account: Account) async throws {
        try UserRecord(account).insert(db)
    }

    func updateAccount(_ account: Account) async throws {
        try UserRecord(account).update(db)
    }

    func eraseAccount(_ user: UserID, phones: [PhoneNumber]) async throws {
        // What it looked up, kept for its lookup budget.
        let budget = LookupBudgetKey.account(user).rawValue
        try db.execute(sql: "DELETE FROM lookup_paid WHERE key = ?", arguments: [budget])
        try db.execute(sql: "DELETE FROM lookup_budgets WHERE key = ?", arguments: [budget])
        let numbers = phones.map(\.e164)
        try CodeRecord.filter(numbers.contains(CodeRecord.Columns.phone)).deleteAll(db)
        try CodeRequestRecord.filter(numbers.contains(CodeRequestRecord.Columns.phone)).deleteAll(db)
        try OutboxRecord.filter(numbers.contains(OutboxRecord.Columns.recipient)).deleteAll(db)
        // The book is in the other file, where no foreign key reaches from the user row. That
        // file commits first, so a crash in between leaves the account without its book, never
        // the book without its account.
        for table in Schema.bookTables.sorted() {
            try db.execute(sql: "DELETE FROM main.\(table) WHERE owner_id = ?", arguments: [user.rawValue])
        }
        // Sessions, cards, card history, shares, events, memberships, invitations and mutual
        // contacts cascade from the user row.
        _ = try UserRecord.deleteOne(db, key: user.rawValue)
    }

    func updateMemberPhones(of user: UserID, to phone: PhoneNumber) async throws {
        try db.execute(sql: "UPDATE group_members SET phone = ? WHERE user_id = ?", arguments: [phone.e164, user.rawValue])
    }

    func forgetCodeRequests(before time: Date) async throws {
        try CodeRequestRecord.filter(CodeRequestRecord.Columns.requestedAt <= time).deleteAll(db)
    }

    func insertCodeRequest(phone: PhoneNumber, clientAddress: String, at time: Date) async throws {
        var request = CodeRequestRecord(phone: phone.e164, clientAddress: clientAddress, requestedAt: time)
        try request.insert(db)
    }

    func voidActiveCodes(phone: PhoneNumber, purpose: CodePurpose) async throws {
        try CodeRecord
            .filter(CodeRecord.Columns.phone == phone.e164 && CodeRecord.Columns.purpose == purpose.rawValue)
            .filter(CodeRecord.Columns.state == CodeRecord.State.active.rawValue)
            .updateAll(db, CodeRecord.Columns.state.set(to: CodeRecord.State.void.rawValue))
    }

    func insertCode(_ code: StoredCode) async throws {
        var record = CodeRecord(code)
        try record.insert(db)
    }

    func updateCode(_ code: StoredCode) async throws {
        try CodeRecord(code).update(db)
    }

    func insertSession(_ session: DeviceSession, tokenHash: Data) async throws {
        try SessionRecord(
            id: session.id, userId: session.userID.rawValue, tokenHash: tokenHash, deviceName: session.deviceName,
            createdAt: session.createdAt, lastUsedAt: session.lastUsedAt, kind: session.kind.rawValue
        ).insert(db)
    }

    func touchSession(_ id: String, at time: Date) async throws -> Bool {
        try SessionRecord.filter(key: id).updateAll(db, SessionRecord.Columns.lastUsedAt.set(to: time)) > 0
    }

    func deleteSession(_ id: String, of user: UserID) async throws -> Bool {
        try SessionRecord.filter(key: id).filter(SessionRecord.Columns.userID == user.rawValue).deleteAll(db) > 0
    }

    func newestActiveCode(phone: PhoneNumber, purpose: CodePurpose) async throws -> StoredCode? {
        try CodeRecord
            .filter(CodeRecord.Columns.phone == phone.e164 && CodeRecord.Columns.purpose == purpose.rawValue)
            .filter(CodeRecord.Columns.state == CodeRecord.State.active.rawValue)
            .order(CodeRecord.Columns.id.desc)
            .fetchOne(db)?.stored
    }

    func requestedCodePhones(of user: UserID) async throws -> [PhoneNumber] {
        try String.fetchAll(db, CodeRecord.filter(Column("requester_id") == user.rawValue).select(CodeRecord.Columns.phone))
            .map(PhoneNumber.init(e164:))
    }

    func codeRequests(of requester: CodeRequester) async throws -> (count: Int, oldest: Date?) {
        let requests =
            switch requester {
            case .phone(let phone): CodeRequestRecord.filter(CodeRequestRecord.Columns.phone == phone.e164)
            case .clientAddress(let address): CodeRequestRecord.filter(CodeRequestRecord.Columns.clientAddress == address)
            }
        let count = try requests.fetchCount(db)
        let oldest = count == 0 ? nil : try Date.fetchOne(db, requests.select(min(CodeRequestRecord.Columns.requestedAt)))
        return (count, oldest)
    }

    func session(tokenHash: Data) async throws -> DeviceSession? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM sessions WHERE token_hash = ?"), arguments: [tokenHash])
            .map { try SessionRecord(row: $0).session }
    }

    func sessions(of user: UserID) async throws -> [DeviceSession] {
        try SessionRecord.filter(SessionRecord.Columns.userID == user.rawValue)
            .order(SessionRecord.Columns.createdAt, Column.rowID)
            .fetchAll(db).map(\.session)
    }
}
