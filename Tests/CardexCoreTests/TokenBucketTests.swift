import CardexCore
import Foundation
import Testing

/// The token buckets of lookup budgets, as leases take from them (issue 17: budgets shared by
/// instances).
@Suite("Token bucket leases")
struct TokenBucketTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let rule = BudgetRule(burst: 10, refillPerHour: 3600)  // one token a second

    @Test("a lease takes what it needs and as much more as there is, up to what it asks")
    func leaseTakesUpToMost() {
        var bucket = TokenBucket(rule: Self.rule, now: Self.t0)
        #expect(bucket.take(atLeast: 3, atMost: 5, at: Self.t0) == .taken(5))
        #expect(bucket.take(atLeast: 2, atMost: 9, at: Self.t0) == .taken(5))
        #expect(bucket.available(at: Self.t0) == 0)
    }

    @Test("a lease that cannot have what it needs takes nothing and says how long to wait")
    func leaseWaits() {
        var bucket = TokenBucket(rule: Self.rule, tokens: 1.5, updatedAt: Self.t0)
        #expect(bucket.take(atLeast: 4, atMost: 8, at: Self.t0) == .wait(seconds: 3))
        #expect(bucket.available(at: Self.t0) == 1.5)
        #expect(bucket.take(atLeast: 1, atMost: 8, at: Self.t0) == .taken(1))  // whole tokens only
        #expect(bucket.available(at: Self.t0) == 0.5)
    }

    @Test("tokens put back count from now, never past the capacity")
    func putBack() {
        var bucket = TokenBucket(rule: Self.rule, tokens: 2, updatedAt: Self.t0)
        bucket.putBack(3, at: Self.t0.addingTimeInterval(2))
        #expect(bucket.available(at: Self.t0.addingTimeInterval(2)) == 7)
        bucket.putBack(100, at: Self.t0.addingTimeInterval(2))
        #expect(bucket.available(at: Self.t0.addingTimeInterval(2)) == 10)
    }

    @Test("a budget untouched for its time to fill is full; one that never refills has none")
    func timeToFill() {
        #expect(Self.rule.timeToFill == .seconds(10))
        #expect(BudgetRule(burst: 5, refillPerHour: 0).timeToFill == nil)
    }
}
