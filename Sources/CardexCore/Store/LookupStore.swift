import Foundation

/// Whose lookup budget: an account's or a client address's.
public struct LookupBudgetKey: Sendable, Hashable {
    /// The stored form: `account:<user id>` or `address:<client address>`.
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// What the stored form of an account's budget, and of an address's, begins with.
    public static let accountPrefix = "account:"
    public static let addressPrefix = "address:"

    public static func account(_ user: UserID) -> LookupBudgetKey { LookupBudgetKey(rawValue: accountPrefix + user.rawValue) }
    public static func address(_ address: String) -> LookupBudgetKey { LookupBudgetKey(rawValue: addressPrefix + address) }

    /// Whether this is an account's budget (otherwise a client address's).
    public var isAccount: Bool { rawValue.hasPrefix(Self.accountPrefix) }
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

/// How a store files the numbers a budget paid for: by day, in batches merged so that a day holds
/// few rows. The same layout on every backend.
public enum PaidNumberBatches {
    /// The largest batch merging makes: past it batches are left as they are, so no save
    /// rewrites more than this (65,536 numbers).
    public static let mergedBatchBytes = 1 << 20

    /// Whole days since 1970 (UTC): the day a batch of paid numbers is filed under.
    public static func day(of date: Date) -> Int { Int((date.timeIntervalSince1970 / 86_400).rounded(.down)) }

    /// Given a day's batch sizes in the order written (the newest last), where the batches to
    /// merge into one start: the newest batches are merged while the one before them is no
    /// larger than they are together (and the result stays within ``mergedBatchBytes``), so the
    /// day's batches stay in decreasing sizes, a budget that pays every second holds a few dozen
    /// rows a day at most, and each number is rewritten a few times at most. `nil` when nothing
    /// is merged.
    public static func mergeStart(sizes: [Int]) -> Int? {
        guard var first = sizes.indices.last else { return nil }
        var merged = sizes[first]
        while first > 0, sizes[first - 1] <= merged, merged + sizes[first - 1] <= mergedBatchBytes {
            first -= 1
            merged += sizes[first]
        }
        return first < sizes.count - 1 ? first : nil
    }
}
