import Foundation

/// A code to issue: its stored hash and the message that carries it to the person.
public struct CodeIssue: Sendable {
    /// Where the code goes.
    public var phone: PhoneNumber
    /// What it is for.
    public var purpose: CodePurpose
    /// ``CodeHasher``'s hash of the code.
    public var codeHash: Data
    /// For ``CodePurpose/changeNumber``: the account asking to move. The code works only for it.
    public var requester: UserID?
    /// The client's network address, for the per-address resend limit.
    public var clientAddress: String
    /// The text of the outbox message (it holds the code).
    public var messageBody: String

    /// Creates an issue.
    public init(phone: PhoneNumber, purpose: CodePurpose, codeHash: Data, requester: UserID?, clientAddress: String, messageBody: String) {
        self.phone = phone
        self.purpose = purpose
        self.codeHash = codeHash
        self.requester = requester
        self.clientAddress = clientAddress
        self.messageBody = messageBody
    }
}

/// The outcome of a successful sign-in.
public struct SignIn: Sendable, Hashable {
    /// The account signed in to.
    public var account: Account
    /// Whether this sign-in created the account.
    public var created: Bool
    /// The new device session.
    public var session: DeviceSession

    /// Creates a sign-in value.
    public init(account: Account, created: Bool, session: DeviceSession) {
        self.account = account
        self.created = created
        self.session = session
    }
}

/// Accounts, verification codes and device sessions.
///
/// Every method is one transaction: it happens entirely or not at all. Methods that check a
/// code record a wrong try even though they then throw.
public protocol AccountStore: Sendable {
    /// Stores a new code (superseding earlier unused ones for the same number and purpose) and
    /// queues its message, unless the resend limits are reached.
    /// - Throws: ``CardexError/resourceExhausted(_:retryAfterSeconds:)`` past a limit; nothing is stored then.
    func issueCode(_ issue: CodeIssue, policy: RegistrationPolicy, now: Date) async throws

    /// Checks a sign-in code and, when it is right, signs in: creates the account for a new number
    /// (delivering the shares that waited for the number), then a session with `tokenHash`.
    /// - Throws: ``CardexError/permissionDenied(_:)`` for a wrong, expired, used or exhausted code.
    func signIn(
        phone: PhoneNumber, codeHash: Data, tokenHash: Data, deviceName: String, policy: RegistrationPolicy, now: Date
    ) async throws -> SignIn

    /// Checks a change-number code the account requested and moves the account to `phone`,
    /// delivering the shares that waited for that number.
    /// - Throws: ``CardexError/permissionDenied(_:)`` for a bad code, ``CardexError/alreadyExists(_:)``
    ///   when another account holds the number.
    func changeNumber(of user: UserID, to phone: PhoneNumber, codeHash: Data, policy: RegistrationPolicy, now: Date) async throws -> Account

    /// The live session whose token hashes to `tokenHash`, marking it used at `now`.
    func session(tokenHash: Data, now: Date) async throws -> DeviceSession?

    /// The person's sessions, oldest first.
    func sessions(of user: UserID) async throws -> [DeviceSession]

    /// Ends one of the person's sessions; `false` when they have no session with that id.
    func revokeSession(_ id: String, of user: UserID) async throws -> Bool

    /// The account, if it exists.
    func account(_ user: UserID) async throws -> Account?

    /// The account bound to `phone`, if any.
    func account(phone: PhoneNumber) async throws -> Account?

    /// Applies a settings change and returns the account as it is now. Turning the cloud address
    /// book on delivers the shares that waited for it.
    /// - Throws: ``CardexError/notFound(_:)`` when the account no longer exists.
    func updateSettings(_ change: SettingsChange, of user: UserID, now: Date) async throws -> Account

    /// Erases the account and every row about it or its number; people who held its card are
    /// told it is withdrawn.
    func deleteAccount(_ user: UserID, now: Date) async throws
}
