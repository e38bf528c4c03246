import Foundation

/// Lookup budgets held in a database that several instances share, so that together they grant
/// no more than one budget: an instance takes tokens from it in leases (one transaction each,
/// all budgets of a call or none), spends them in memory, and puts back what it did not spend.
/// A lease lost with its instance is spending that never happened: the budget is stricter for
/// a while, never larger.
public protocol SharedLookupBudgets: Sendable {
    /// For each of `leases`, takes at least `least` tokens and up to `most` from its budget at
    /// `now`: all budgets or none. Returns the tokens taken per budget, or the whole seconds
    /// until every budget will have its `least`.
    func leaseLookupTokens(_ leases: [LookupLease], now: Date) async throws -> LookupLeaseOutcome

    /// Puts back tokens leased and not spent, each budget up to its capacity.
    func returnLookupTokens(_ returns: [LookupLease.Return], now: Date) async throws

    /// Deletes the stored budgets of the kind `accounts` (or client addresses) untouched since
    /// `before`: they have refilled, and a budget that is not stored is full.
    func dropRefilledLookupBudgets(accounts: Bool, untouchedSince before: Date) async throws
}

/// A request for tokens of one budget (``SharedLookupBudgets/leaseLookupTokens(_:now:)``).
public struct LookupLease: Sendable, Hashable {
    public var key: LookupBudgetKey
    public var rule: BudgetRule
    /// What the call needs: fewer, and the call waits.
    public var least: Int
    /// What the instance would like to hold, so the next calls need no trip to the database.
    public var most: Int

    public init(key: LookupBudgetKey, rule: BudgetRule, least: Int, most: Int) {
        self.key = key
        self.rule = rule
        self.least = least
        self.most = most
    }

    /// Tokens of one budget given back (``SharedLookupBudgets/returnLookupTokens(_:now:)``).
    public struct Return: Sendable, Hashable {
        public var key: LookupBudgetKey
        public var rule: BudgetRule
        public var tokens: Int

        public init(key: LookupBudgetKey, rule: BudgetRule, tokens: Int) {
            self.key = key
            self.rule = rule
            self.tokens = tokens
        }
    }
}

/// What a lease got.
public enum LookupLeaseOutcome: Sendable, Hashable {
    /// Every budget had its `least`: the tokens taken from each.
    case taken([LookupBudgetKey: Int])
    /// A budget lacks its `least`: nothing taken; the seconds until all will have it.
    case wait(seconds: Int)
}
