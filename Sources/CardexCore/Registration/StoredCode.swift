import Foundation

/// A verification code as stored: only its keyed hash.
public struct StoredCode: Sendable, Hashable {
    /// `active` until used, superseded or voided by too many wrong tries.
    public enum State: String, Sendable, Hashable {
        case active, used, void
    }

    /// The store's id (`nil` before it is stored).
    public var id: Int64?
    public var phone: PhoneNumber
    public var purpose: CodePurpose
    /// ``CodeHasher``'s hash of the code.
    public var codeHash: Data
    /// For ``CodePurpose/changeNumber``: the account that asked; the code works only for it.
    public var requester: UserID?
    public var createdAt: Date
    public var expiresAt: Date
    /// Wrong tries so far.
    public var attempts: Int
    public var state: State

    /// Creates a value.
    public init(
        id: Int64? = nil, phone: PhoneNumber, purpose: CodePurpose, codeHash: Data, requester: UserID?, createdAt: Date, expiresAt: Date,
        attempts: Int = 0, state: State = .active
    ) {
        self.id = id
        self.phone = phone
        self.purpose = purpose
        self.codeHash = codeHash
        self.requester = requester
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.attempts = attempts
        self.state = state
    }
}

/// Whose code requests count against a resend limit.
public enum CodeRequester: Sendable, Hashable {
    case phone(PhoneNumber)
    case clientAddress(String)
}
