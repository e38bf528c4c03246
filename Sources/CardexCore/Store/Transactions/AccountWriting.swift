import Foundation

/// Writing accounts, codes and sessions.
public protocol AccountWriting: AnyObject {
    /// Stores a new account.
    func insertAccount(_ account: Account) async throws

    /// Stores the account's number and settings.
    /// - Throws: an error when another account holds the number (the caller checks first).
    func updateAccount(_ account: Account) async throws

    /// Erases the account: its row and every row that belongs to it (sessions, card and history,
    /// shares made and received, book, events, memberships, invitations, mutual contacts, lookup
    /// budget), and the codes, code requests and outbox messages of `phones`.
    func eraseAccount(_ user: UserID, phones: [PhoneNumber]) async throws

    /// Records the person's new number in every group membership.
    func updateMemberPhones(of user: UserID, to phone: PhoneNumber) async throws

    /// Forgets code requests made at or before `time`.
    func forgetCodeRequests(before time: Date) async throws

    /// Records a code request.
    func insertCodeRequest(phone: PhoneNumber, clientAddress: String, at time: Date) async throws

    /// Voids the active codes for `phone` and `purpose`.
    func voidActiveCodes(phone: PhoneNumber, purpose: CodePurpose) async throws

    /// Stores a new code.
    func insertCode(_ code: StoredCode) async throws

    /// Stores a code's attempts and state.
    func updateCode(_ code: StoredCode) async throws

    /// Stores a new session, found later by `tokenHash`.
    func insertSession(_ session: DeviceSession, tokenHash: Data) async throws

    /// Sets a session's last use; `false` when it no longer exists.
    func touchSession(_ id: String, at time: Date) async throws -> Bool

    /// Deletes one of the person's sessions; `false` when they have none with that id.
    func deleteSession(_ id: String, of user: UserID) async throws -> Bool
}

/// Reading codes and sessions.
public protocol CodeAndSessionReading: AnyObject {
    /// The newest active code for `phone` and `purpose`.
    func newestActiveCode(phone: PhoneNumber, purpose: CodePurpose) async throws -> StoredCode?

    /// The phones of the codes `user` requested (number changes).
    func requestedCodePhones(of user: UserID) async throws -> [PhoneNumber]

    /// How many code requests of `requester` are kept, and when the oldest was made.
    func codeRequests(of requester: CodeRequester) async throws -> (count: Int, oldest: Date?)

    /// The session whose token hashes to `tokenHash`.
    func session(tokenHash: Data) async throws -> DeviceSession?

    /// The person's sessions, oldest first.
    func sessions(of user: UserID) async throws -> [DeviceSession]
}
