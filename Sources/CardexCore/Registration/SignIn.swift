import Foundation

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
