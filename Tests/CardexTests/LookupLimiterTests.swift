import CardexCore
import Foundation
import Synchronization
import Testing

@testable import CardexServer

@Suite("Lookup limiter: forgetting a deleted account's budget", TestDatabase.embeddedOnly)
struct LookupLimiterTests {
    /// A store whose saves wait until the test lets them finish, and that keeps what they wrote.
    final class HeldStore: LookupStore {
        let saves = Mutex<[[LookupBudgetKey: StoredBudget]]>([])
        let started: AsyncStream<Void>
        private let startedContinuation: AsyncStream<Void>.Continuation
        let release: AsyncStream<Void>
        let releaseContinuation: AsyncStream<Void>.Continuation

        init() {
            (started, startedContinuation) = AsyncStream.makeStream()
            (release, releaseContinuation) = AsyncStream.makeStream()
        }

        func lookupBudgets() async throws -> [LookupBudgetKey: StoredBudget] { [:] }
        func paidNumbers(of key: LookupBudgetKey, since: Date) async throws -> [NumberDigest] { [] }
        func saveLookupBudgets(
            _ budgets: [LookupBudgetKey: StoredBudget], paid: [LookupBudgetKey: [NumberDigest]], refilled: [LookupBudgetKey],
            now: Date, forgetBefore: Date
        ) async throws {
            startedContinuation.yield()
            for await _ in release { break }
            saves.withLock { $0.append(budgets) }
        }
    }

    @Test("forgetting waits for a save that read the budget before, so the deletion that follows removes what it wrote")
    func forgetWaitsForSaveInFlight() async throws {
        let store = HeldStore()
        let limiter = LookupLimiter(policy: .defaults, digester: NumberDigester(secret: Data(count: 32)), store: store)
        let key = LookupBudgetKey.account(UserID(rawValue: "ada"))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        try await limiter.charge([limiter.digester.digest(PhoneNumber(e164: "+15550000001"))], to: [key], now: now)

        let save = Task { try await limiter.save(now: now) }
        for await _ in store.started { break }  // the save has read the budget and is writing it
        let forgotten = Mutex(false)
        let forget = Task {
            await limiter.forget(key)
            forgotten.withLock { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(!forgotten.withLock { $0 }, "forget returned while a save could still write the budget")
        store.releaseContinuation.yield()
        try await save.value
        await forget.value
        #expect(store.saves.withLock { $0 }.first?[key] != nil)  // written before the account's rows are deleted

        // Nothing of it is saved again.
        try await limiter.charge([limiter.digester.digest(PhoneNumber(e164: "+15550000002"))], to: [LookupBudgetKey.address("10.0.0.1")], now: now)
        store.releaseContinuation.yield()
        try await limiter.save(now: now)
        #expect(store.saves.withLock { $0 }.last?[key] == nil)
    }

    /// A store that keeps the paid numbers each save wrote.
    final class PaidStore: LookupStore {
        let paid = Mutex<[LookupBudgetKey: [NumberDigest]]>([:])

        func lookupBudgets() async throws -> [LookupBudgetKey: StoredBudget] { [:] }
        func paidNumbers(of key: LookupBudgetKey, since: Date) async throws -> [NumberDigest] { [] }
        func saveLookupBudgets(
            _ budgets: [LookupBudgetKey: StoredBudget], paid: [LookupBudgetKey: [NumberDigest]], refilled: [LookupBudgetKey],
            now: Date, forgetBefore: Date
        ) async throws {
            self.paid.withLock { stored in for (key, digests) in paid { stored[key, default: []] += digests } }
        }
    }

    /// Shared budgets that lease what is asked and cannot take anything back.
    struct UnreturnableBudgets: SharedLookupBudgets {
        struct Down: Error {}
        func leaseLookupTokens(_ leases: [LookupLease], now: Date) async throws -> LookupLeaseOutcome {
            .taken(Dictionary(leases.map { ($0.key, $0.most) }, uniquingKeysWith: +))
        }
        func returnLookupTokens(_ returns: [LookupLease.Return], now: Date) async throws { if !returns.isEmpty { throw Down() } }
        func dropRefilledLookupBudgets(accounts: Bool, untouchedSince before: Date) async throws {}
    }

    @Test("with shared budgets, leases that cannot be put back fail the save but neither the paid numbers nor a forget waiting on it")
    func leasesThatCannotBePutBack() async throws {
        let store = PaidStore()
        let limiter = LookupLimiter(
            policy: .defaults, digester: NumberDigester(secret: Data(count: 32)), store: store, shared: UnreturnableBudgets())
        let key = LookupBudgetKey.account(UserID(rawValue: "ada"))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let number = limiter.digester.digest(PhoneNumber(e164: "+15550000001"))
        try await limiter.charge([number], to: [key], now: now)

        await #expect(throws: UnreturnableBudgets.Down.self) { try await limiter.save(now: now, final: true) }
        #expect(store.paid.withLock { $0[key] } == [number])
        await limiter.forget(key)  // returns: no save is left in flight
    }
}
