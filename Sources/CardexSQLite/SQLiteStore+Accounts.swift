import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    /// The result of a transaction that commits even when it refuses (to record a wrong try).
    private enum Outcome<Value: Sendable>: Sendable {
        case done(Value)
        case refused(CardexError)

        func get() throws -> Value {
            switch self {
            case .done(let value): return value
            case .refused(let error): throw error
            }
        }
    }

    public func signIn(
        phone: PhoneNumber, codeHash: Data, tokenHash: Data, deviceName: String, policy: RegistrationPolicy, now: Date
    ) async throws -> SignIn {
        try await writeWithEvents(now: now) { db, log -> Outcome<SignIn> in
            let check = try Self.consumeCode(
                db, phone: phone, purpose: .signIn, codeHash: codeHash, requester: nil, policy: policy, now: now)
            if case .rejected(let error) = check { return .refused(error) }

            var created = false
            var user = try UserRecord.filter(UserRecord.Columns.phone == phone.e164).fetchOne(db)
            if user == nil {
                let account = Account(userID: .random(), phone: phone, createdAt: now, settings: AccountSettings())
                user = UserRecord(account)
                try user?.insert(db)
                created = true
            }
            guard let account = user?.account else { return .refused(.notFound("account vanished")) }
            if created {
                try Self.deliverWaiting(to: account, log: &log, db)
                try Self.matchMutualContacts(of: account.userID, log: &log, db)
            }
            let session = SessionRecord(
                id: UUID().uuidString.lowercased(), userId: account.userID.rawValue, tokenHash: tokenHash,
                deviceName: deviceName, createdAt: now, lastUsedAt: now)
            try session.insert(db)
            return .done(SignIn(account: account, created: created, session: session.session))
        }.get()
    }

    public func changeNumber(
        of user: UserID, to phone: PhoneNumber, codeHash: Data, policy: RegistrationPolicy, now: Date
    ) async throws -> Account {
        try await writeWithEvents(now: now) { db, log -> Outcome<Account> in
            let check = try Self.consumeCode(
                db, phone: phone, purpose: .changeNumber, codeHash: codeHash, requester: user, policy: policy, now: now)
            if case .rejected(let error) = check { return .refused(error) }
            guard var record = try UserRecord.fetchOne(db, key: user.rawValue) else {
                return .refused(.notFound("the account no longer exists"))
            }
            if let holder = try UserRecord.filter(UserRecord.Columns.phone == phone.e164).fetchOne(db) {
                return .refused(.alreadyExists(
                    holder.id == user.rawValue
                        ? "\(phone) is already this account's number"
                        : "\(phone) belongs to another account: that account must change its number or be deleted first"))
            }
            try Self.recordFormerPhones([record.phone], of: user, now: now, db)
            record.phone = phone.e164
            try record.update(db)
            try db.execute(sql: "UPDATE group_members SET phone = ? WHERE user_id = ?", arguments: [phone.e164, user.rawValue])
            try Self.deliverWaiting(to: record.account, log: &log, db)
            try Self.matchMutualContacts(of: user, log: &log, db)
            return .done(record.account)
        }.get()
    }

    public func account(_ user: UserID) async throws -> Account? {
        try await pool.read { db in try UserRecord.fetchOne(db, key: user.rawValue)?.account }
    }

    public func account(phone: PhoneNumber) async throws -> Account? {
        try await pool.read { db in
            try UserRecord.filter(UserRecord.Columns.phone == phone.e164).fetchOne(db)?.account
        }
    }

    public func updateSettings(_ change: SettingsChange, of user: UserID, now: Date) async throws -> Account {
        try await writeWithEvents(now: now) { db, log in
            guard let record = try UserRecord.fetchOne(db, key: user.rawValue) else {
                throw CardexError.notFound("the account no longer exists")
            }
            var account = record.account
            account.settings = change.applied(to: account.settings)
            try UserRecord(account).update(db)
            if account.settings.cloudAddressBook && !record.cloudAddressBook {
                try Self.deliverWaiting(to: account, log: &log, db)
            }
            return account
        }
    }

    public func deleteAccount(_ user: UserID, now: Date) async throws {
        try await writeWithEvents(now: now) { db, log in
            guard let record = try UserRecord.fetchOne(db, key: user.rawValue) else { return }
            // Others' copies of this person's card are withdrawn.
            for share in try ShareRecord.filter(ShareRecord.Columns.ownerID == user.rawValue).fetchAll(db) {
                try Self.withdraw(share, log: &log, db)
            }
            let holders = try String.fetchAll(
                db, ShareRecord.cardShares().filter(ShareRecord.Columns.ownerID == user.rawValue).select(ShareRecord.Columns.recipientUserID))
            for contact in try Self.mutualContacts(of: user, db) where !holders.contains(contact.rawValue) {
                try log.append(.accessRemoved(owner: user), to: contact, db)
            }
            // Groups it owns are deleted; in the others it leaves.
            for membership in try GroupMemberRecord.filter(GroupMemberRecord.Columns.userID == user.rawValue).fetchAll(db) {
                if membership.role == .owner {
                    try Self.deleteGroup(membership.groupId, log: &log, db)
                } else {
                    try Self.endMembership(of: membership.member, in: membership.groupId, .left, log: &log, db)
                }
            }
            // What it looked up, kept for its lookup budget.
            let budget = LookupBudgetKey.account(user).rawValue
            try db.execute(sql: "DELETE FROM lookup_paid WHERE key = ?", arguments: [budget])
            try db.execute(sql: "DELETE FROM lookup_budgets WHERE key = ?", arguments: [budget])
            // Numbers this person owns or asked to move to: every row naming them goes too.
            let requestedPhones = try String.fetchAll(
                db, CodeRecord.filter(Column("requester_id") == user.rawValue).select(CodeRecord.Columns.phone))
            let phones = Array(Set([record.phone] + requestedPhones))
            try CodeRecord.filter(phones.contains(CodeRecord.Columns.phone)).deleteAll(db)
            try CodeRequestRecord.filter(phones.contains(CodeRequestRecord.Columns.phone)).deleteAll(db)
            try OutboxRecord.filter(phones.contains(OutboxRecord.Columns.recipient)).deleteAll(db)
            // Sessions, cards, card history, shares and events cascade from the user row.
            _ = try record.delete(db)
        }
    }
}
