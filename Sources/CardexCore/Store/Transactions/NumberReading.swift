/// Who holds a phone number, and who held it, as stored. Who may find them is decided above
/// (``Discoverability/admits(acquainted:for:)``).
public protocol NumberReading: AnyObject {
    /// The account whose number `phone` is, if any.
    func holder(of phone: PhoneNumber) async throws -> NumberHolder?

    /// The people who had `phone` before (as their account number, or in a phone field dropped
    /// from their card), the most recent first.
    func formerHolders(of phone: PhoneNumber) async throws -> [NumberHolder]
}

/// A person who holds (or held) a number, with their "who may find me by number" setting.
public struct NumberHolder: Sendable, Hashable {
    public var user: UserID
    public var discoverability: Discoverability

    /// Creates a value.
    public init(user: UserID, discoverability: Discoverability) {
        self.user = user
        self.discoverability = discoverability
    }
}
