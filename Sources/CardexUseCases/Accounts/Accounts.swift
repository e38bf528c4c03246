import CardexCore
import Foundation

/// Registration and accounts: codes, sign-in, number changes, settings, sessions, erasure.
///
/// Every method is one transaction: it happens entirely or not at all. Methods that check a code
/// record a wrong try even though they then throw.
public struct Accounts: Sendable {
    let store: UseCaseStore
    let policy: RegistrationPolicy

    /// Creates the use cases.
    public init(store: UseCaseStore, policy: RegistrationPolicy) {
        self.store = store
        self.policy = policy
    }

    /// A session's last-use time is written at most this often, so an authenticated call is a
    /// read, not a write.
    static let lastUseResolution: TimeInterval = 60

    /// Stores a new code (superseding earlier unused ones for the same number and purpose) and
    /// queues its message, unless the resend limits are reached.
    /// - Throws: ``CardexError/resourceExhausted(_:retryAfterSeconds:)`` past a limit; nothing is stored then.
    public func issueCode(_ issue: CodeIssue, now: Date) async throws {
        let policy = policy
        try await store.write(now: now) { changes in
            let transaction = changes.transaction
            // Requests older than the window no longer count: forget them, so the table stays bounded.
            try await transaction.forgetCodeRequests(before: now.addingTimeInterval(-policy.resendWindow.timeInterval))
            try await Self.checkLimit(.phone(issue.phone), max: policy.maxRequestsPerNumber, what: "this number", policy, changes)
            try await Self.checkLimit(
                .clientAddress(issue.clientAddress), max: policy.maxRequestsPerAddress, what: "this client address", policy, changes)
            try await transaction.insertCodeRequest(phone: issue.phone, clientAddress: issue.clientAddress, at: now)
            // A new code supersedes the earlier ones for the same number and purpose.
            try await transaction.voidActiveCodes(phone: issue.phone, purpose: issue.purpose)
            try await transaction.insertCode(
                StoredCode(
                    phone: issue.phone, purpose: issue.purpose, codeHash: issue.codeHash, requester: issue.requester, createdAt: now,
                    expiresAt: now.addingTimeInterval(policy.codeLifetime.timeInterval)))
            try await changes.send(.verificationCode, to: issue.phone, issue.messageBody)
        }
    }

    private static func checkLimit(
        _ requester: CodeRequester, max: Int, what: String, _ policy: RegistrationPolicy, _ changes: Changes
    ) async throws {
        let (count, oldest) = try await changes.transaction.codeRequests(of: requester)
        guard count >= max else { return }
        let retryAfter = Int((oldest ?? changes.now).addingTimeInterval(policy.resendWindow.timeInterval).timeIntervalSince(changes.now).rounded(.up))
        throw CardexError.resourceExhausted(
            "too many codes requested for \(what): at most \(max) per \(Int(policy.resendWindow.timeInterval / 60)) minutes; try again in \(retryAfter) s",
            retryAfterSeconds: Swift.max(retryAfter, 1))
    }

    /// Checks a sign-in code and, when it is right, signs in: creates the account for a new number
    /// (delivering the shares and invitations that waited for the number), then a session with `tokenHash`.
    /// - Throws: ``CardexError/permissionDenied(_:)`` for a wrong, expired, used or exhausted code.
    public func signIn(phone: PhoneNumber, codeHash: Data, tokenHash: Data, deviceName: String, now: Date) async throws -> SignIn {
        let policy = policy
        return try await store.write(now: now) { changes -> Outcome<SignIn> in
            let transaction = changes.transaction
            if let refused = try await CodeCheck.consume(
                phone: phone, purpose: .signIn, codeHash: codeHash, requester: nil, policy: policy, changes)
            {
                return .refused(refused)
            }
            var created = false
            var account = try await transaction.account(phone: phone)
            if account == nil {
                let new = Account(userID: .random(), phone: phone, createdAt: now, settings: AccountSettings())
                try await transaction.insertAccount(new)
                (account, created) = (new, true)
            }
            guard let account else { return .refused(.notFound("account vanished")) }
            if created {
                try await Self.deliverWaiting(to: account, changes)
                try await MutualMatching.match(account.userID, changes)
            }
            let session = DeviceSession(
                id: UUID().uuidString.lowercased(), userID: account.userID, deviceName: deviceName, createdAt: now, lastUsedAt: now)
            try await transaction.insertSession(session, tokenHash: tokenHash)
            return .done(SignIn(account: account, created: created, session: session))
        }.get()
    }

    /// Checks a change-number code the account requested and moves the account to `phone`,
    /// delivering the shares and invitations that waited for that number.
    /// - Throws: ``CardexError/permissionDenied(_:)`` for a bad code, ``CardexError/alreadyExists(_:)``
    ///   when another account holds the number.
    public func changeNumber(of user: UserID, to phone: PhoneNumber, codeHash: Data, now: Date) async throws -> Account {
        let policy = policy
        return try await store.write(now: now) { changes -> Outcome<Account> in
            let transaction = changes.transaction
            if let refused = try await CodeCheck.consume(
                phone: phone, purpose: .changeNumber, codeHash: codeHash, requester: user, policy: policy, changes)
            {
                return .refused(refused)
            }
            guard var account = try await transaction.account(user) else {
                return .refused(.notFound("the account no longer exists"))
            }
            if let holder = try await transaction.account(phone: phone) {
                return .refused(
                    .alreadyExists(
                        holder.userID == user
                            ? "\(phone) is already this account's number"
                            : "\(phone) belongs to another account: that account must change its number or be deleted first"))
            }
            try await transaction.recordFormerPhones([account.phone.e164], of: user, at: now)
            account.phone = phone
            try await transaction.updateAccount(account)
            try await transaction.updateMemberPhones(of: user, to: phone)
            try await Self.deliverWaiting(to: account, changes)
            try await MutualMatching.match(user, changes)
            return .done(account)
        }.get()
    }

    /// The account, if it exists.
    public func account(_ user: UserID) async throws -> Account? {
        try await store.read { transaction in try await transaction.account(user) }
    }

    /// Applies a settings change and returns the account as it is now. Turning the cloud address
    /// book on delivers the shares that waited for it.
    /// - Throws: ``CardexError/notFound(_:)`` when the account no longer exists.
    public func updateSettings(_ change: SettingsChange, of user: UserID, now: Date) async throws -> Account {
        try await store.write(now: now) { changes in
            guard let before = try await changes.transaction.account(user) else {
                throw CardexError.notFound("the account no longer exists")
            }
            var account = before
            account.settings = change.applied(to: account.settings)
            try await changes.transaction.updateAccount(account)
            if account.settings.cloudAddressBook && !before.settings.cloudAddressBook {
                try await Self.deliverWaiting(to: account, changes)
            }
            return account
        }
    }

    /// Erases the account and every row about it or its number; people who held its card are
    /// told it is withdrawn, groups it owns are deleted, and it leaves the others.
    public func delete(_ user: UserID, now: Date) async throws {
        try await store.write(now: now) { changes in
            let transaction = changes.transaction
            guard let account = try await transaction.account(user) else { return }
            // Others' copies of this person's card are withdrawn.
            let shares = try await transaction.shares(of: user)
            for share in shares { try await Withdrawal.withdraw(share, changes) }
            let holders = Set(shares.filter { $0.entry == nil }.compactMap(\.recipientUser))
            let contacts = try await transaction.mutualContacts(of: user).filter { !holders.contains($0) }
            try await changes.append(contacts.map { NewEvent(.accessRemoved(owner: user), to: $0) })
            // Groups it owns are deleted; in the others it leaves.
            for groupID in try await transaction.groupIDs(of: user) {
                guard let membership = try await transaction.member(user, in: groupID) else { continue }
                if membership.role == .owner {
                    try await Memberships.deleteGroup(groupID, changes)
                } else {
                    try await Memberships.end(membership, in: groupID, .left, changes)
                }
            }
            // Numbers this person owns or asked to move to: every row naming them goes too.
            let phones = Set([account.phone] + (try await transaction.requestedCodePhones(of: user)))
            try await transaction.eraseAccount(user, phones: phones.sorted { $0.e164 < $1.e164 })
        }
    }

    /// The live session whose token hashes to `tokenHash`, marking it used at `now` (written at
    /// most once a minute).
    public func session(tokenHash: Data, now: Date) async throws -> DeviceSession? {
        guard var session = try await store.read({ transaction in try await transaction.session(tokenHash: tokenHash) }) else {
            return nil
        }
        guard now.timeIntervalSince(session.lastUsedAt) >= Self.lastUseResolution else { return session }
        session.lastUsedAt = now
        let id = session.id
        // The session may have been revoked since the read; then nothing is updated.
        let stillThere = try await store.write(now: now) { changes in try await changes.transaction.touchSession(id, at: now) }
        return stillThere ? session : nil
    }

    /// Makes an app password for the person's contacts app: a session of kind
    /// ``DeviceSession/Kind/appPassword`` named `deviceName`, found later by `passwordHash`.
    /// - Throws: ``CardexError/resourceExhausted(_:retryAfterSeconds:)`` when the person already
    ///   holds ``RegistrationPolicy/maxAppPasswords``; ``CardexError/notFound(_:)`` when the account is gone.
    public func createAppPassword(for user: UserID, deviceName: String, passwordHash: Data, now: Date) async throws -> DeviceSession {
        let limit = policy.maxAppPasswords
        return try await store.write(now: now) { changes in
            let transaction = changes.transaction
            guard try await transaction.account(user) != nil else { throw CardexError.notFound("the account no longer exists") }
            let held = try await transaction.sessions(of: user).filter { $0.kind == .appPassword }.count
            guard held < limit else {
                throw CardexError.resourceExhausted(
                    "at most \(limit) app passwords: revoke one you no longer use (cardex session list, cardex session revoke)",
                    retryAfterSeconds: 0)
            }
            let session = DeviceSession(
                id: UUID().uuidString.lowercased(), userID: user, deviceName: deviceName, createdAt: now, lastUsedAt: now, kind: .appPassword)
            try await transaction.insertSession(session, tokenHash: passwordHash)
            return session
        }
    }

    /// The person's sessions, oldest first.
    public func sessions(of user: UserID) async throws -> [DeviceSession] {
        try await store.read { transaction in try await transaction.sessions(of: user) }
    }

    /// Ends one of the person's sessions; `false` when they have no session with that id.
    public func revokeSession(_ id: String, of user: UserID, now: Date) async throws -> Bool {
        try await store.write(now: now) { changes in try await changes.transaction.deleteSession(id, of: user) }
    }

    /// Delivers the shares and group invitations that waited for `account`'s number, and the
    /// shares that waited for its cloud address book. Called when a number registers, an account
    /// moves to a number, or the cloud address book is turned on.
    static func deliverWaiting(to account: Account, _ changes: Changes) async throws {
        try await Memberships.deliverWaitingInvitations(to: account, changes)
        try await WaitingShares.deliver(to: account, changes)
    }
}
