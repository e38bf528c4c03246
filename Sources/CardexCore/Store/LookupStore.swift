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

/// The persisted budgets that limit looking people up by number, and the numbers each budget
/// paid for. (Who holds a number is read in a transaction: ``NumberReading``.)
public protocol LookupStore: Sendable {
    /// Every stored budget. A budget that is not stored is full.
    func lookupBudgets() async throws -> [LookupBudgetKey: StoredBudget]

    /// The numbers `key`'s budget paid for since `since` (what it paid for before is forgotten).
    func paidNumbers(of key: LookupBudgetKey, since: Date) async throws -> [NumberDigest]

    /// In one transaction: saves budget states and the numbers they paid for (at `now`), deletes
    /// the budgets of `refilled` (full again, so no longer stored), and forgets numbers paid for
    /// before `forgetBefore`.
    func saveLookupBudgets(
        _ budgets: [LookupBudgetKey: StoredBudget], paid: [LookupBudgetKey: [NumberDigest]], refilled: [LookupBudgetKey],
        now: Date, forgetBefore: Date
    ) async throws
}
