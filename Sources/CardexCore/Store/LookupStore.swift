import Foundation

/// Whose lookup budget: an account's or a client address's.
public struct LookupBudgetKey: Sendable, Hashable {
    /// The stored form: `account:<user id>` or `address:<client address>`.
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static func account(_ user: UserID) -> LookupBudgetKey { LookupBudgetKey(rawValue: "account:" + user.rawValue) }
    public static func address(_ address: String) -> LookupBudgetKey { LookupBudgetKey(rawValue: "address:" + address) }

    /// Whether this is an account's budget (otherwise a client address's).
    public var isAccount: Bool { rawValue.hasPrefix("account:") }
}

/// A budget as stored: the tokens left at a time (the rule comes from the configuration).
public struct StoredBudget: Sendable, Hashable {
    public var tokens: Double
    public var updatedAt: Date

    public init(tokens: Double, updatedAt: Date) {
        self.tokens = tokens
        self.updatedAt = updatedAt
    }
}

/// What one lookup read: the people found, and for each budget the numbers (by digest) it has
/// not paid for yet.
public struct LookupRead: Sendable {
    /// The found people, by the number asked about, each as the reader may see them.
    public var found: [PhoneNumber: CardView] = [:]
    /// Per budget: the digests asked about that it was never charged for.
    public var unseen: [LookupBudgetKey: Set<Data>] = [:]

    public init() {}
}

/// Looking people up by number, and the persisted budgets that limit it.
public protocol LookupStore: Sendable {
    /// Finds the owners of `numbers` whom `reader` may find for `purpose`: the reader sees some
    /// of their card and their ``Discoverability`` admits the reader. An unregistered number and
    /// a hidden person give the same absence, after the same queries. In the same read: which
    /// `digests` (one per number, same order) each of `budgets` has not paid for.
    func lookUp(
        _ numbers: [PhoneNumber], digests: [Data], for reader: UserID, purpose: LookupPurpose, budgets: [LookupBudgetKey]
    ) async throws -> LookupRead

    /// Every stored budget. A budget that is not stored is full.
    func lookupBudgets() async throws -> [LookupBudgetKey: StoredBudget]

    /// In one transaction: saves budget states and the digests they paid for, and deletes the
    /// budgets of `refilled` (full again, so no longer stored).
    func saveLookupBudgets(
        _ budgets: [LookupBudgetKey: StoredBudget], paid: [LookupBudgetKey: Set<Data>], refilled: [LookupBudgetKey], now: Date
    ) async throws
}
