/// The limits on looking people up by number (SPEC §3.6, anti-enumeration).
///
/// Each distinct number a caller asks about for the first time costs one token from the
/// caller's account budget and one from the budget of the client address it calls from; a
/// number already answered to that account (or address) costs nothing again for
/// ``forgetPaidAfter`` (30 days: a budget refills far more than a burst in that time, so being
/// charged again after it costs no one their lookups, and what is remembered stays bounded).
public struct LookupPolicy: Sendable, Hashable {
    /// Per account.
    public var perAccount: BudgetRule
    /// Per client address (many people may share one behind a carrier's NAT).
    public var perAddress: BudgetRule
    /// Numbers in one Discover call.
    public var maxDiscoverBatch: Int
    /// How often spent budgets are written to the database; a crash forgets at most this much
    /// spending.
    public var flushInterval: Duration
    /// How long a number paid for stays free to look up again (counted from the day it was paid).
    public var forgetPaidAfter: Duration
    /// The paid numbers the server keeps in memory, over all budgets (16 bytes each plus the
    /// set's overhead, about 22). The budgets used least recently are dropped past it and read
    /// from the database again when next used.
    public var paidNumbersInMemory: Int

    /// Creates a policy.
    public init(
        perAccount: BudgetRule, perAddress: BudgetRule, maxDiscoverBatch: Int, flushInterval: Duration, forgetPaidAfter: Duration, paidNumbersInMemory: Int
    ) {
        self.perAccount = perAccount
        self.perAddress = perAddress
        self.maxDiscoverBatch = maxDiscoverBatch
        self.flushInterval = flushInterval
        self.forgetPaidAfter = forgetPaidAfter
        self.paidNumbersInMemory = paidNumbersInMemory
    }

    /// The rule of `key`'s budget.
    public func rule(for key: LookupBudgetKey) -> BudgetRule { key.isAccount ? perAccount : perAddress }

    /// 2,000 new numbers at once then 100 an hour per account; 20,000 then 1,000 an hour per
    /// client address; 1,000 numbers per Discover call; budgets saved every second; numbers paid
    /// for remembered 30 days, at most 2,000,000 of them in memory.
    public static var defaults: LookupPolicy {
        LookupPolicy(
            perAccount: BudgetRule(burst: 2_000, refillPerHour: 100), perAddress: BudgetRule(burst: 20_000, refillPerHour: 1_000), maxDiscoverBatch: 1_000,
            flushInterval: .seconds(1), forgetPaidAfter: .seconds(30 * 86_400), paidNumbersInMemory: 2_000_000)
    }
}

/// Why someone looks a number up: how ``Discoverability`` applies.
public enum LookupPurpose: Sendable, Hashable {
    /// The incoming-call display (Lookup, GetCard by number): the number is calling the reader.
    case callerID
    /// Finding people from an address book (Discover, QueryUpdate by number).
    case discovery
}

extension Discoverability {
    /// Whether a reader who sees some of the owner's card finds the owner by number, given
    /// whether they know each other (a mutual contact, an accepted share of the owner's card, or
    /// a common group where the reader sees the owner).
    ///
    /// everyone → anyone; contacts → people who know the owner; nobody → no one by discovery,
    /// and by caller ID only people who know the owner (an incoming call from someone the reader
    /// knows tells the reader nothing new). A stranger never finds by number someone who did
    /// not let everyone find them, whatever the call.
    public func admits(acquainted: Bool, for purpose: LookupPurpose) -> Bool {
        switch (self, purpose) {
        case (.everyone, _): true
        case (.contacts, _), (.nobody, .callerID): acquainted
        case (.nobody, .discovery): false
        }
    }
}
