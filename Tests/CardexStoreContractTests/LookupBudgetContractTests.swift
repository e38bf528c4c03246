import CardexCore
import Foundation
import Testing

@Suite("Store contract: lookup budgets and the numbers they paid for")
struct LookupBudgetContractTests {
    private static func digests(_ range: Range<Int>) -> [NumberDigest] {
        range.map { index in
            var bytes = [UInt8](repeating: 0, count: NumberDigest.byteCount)
            withUnsafeBytes(of: UInt64(index).bigEndian) { bytes.replaceSubrange(0..<8, with: $0) }
            return bytes.withUnsafeBytes { NumberDigest(prefixOf: $0) }
        }
    }

    @Test("budgets are saved, replaced and forgotten when refilled", arguments: Backend.allCases)
    func budgets(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let (ada, here) = (LookupBudgetKey.account(.random()), LookupBudgetKey.address("10.0.0.1"))
            try await store.saveLookupBudgets(
                [ada: StoredBudget(tokens: 3.5, updatedAt: Fixture.t0), here: StoredBudget(tokens: 10, updatedAt: Fixture.t0)], paid: [:],
                refilled: [], now: Fixture.t0, forgetBefore: .distantPast)
            try await store.saveLookupBudgets(
                [ada: StoredBudget(tokens: 1.25, updatedAt: Fixture.t0 + 5)], paid: [:], refilled: [here], now: Fixture.t0 + 5,
                forgetBefore: .distantPast)
            #expect(try await store.lookupBudgets() == [ada: StoredBudget(tokens: 1.25, updatedAt: Fixture.t0 + 5)])
        }
    }

    @Test("paid numbers come back whole after many saves (merged batches), by day, and old days are forgotten", arguments: Backend.allCases)
    func paid(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let key = LookupBudgetKey.address("10.0.0.2")
            let day = 86_400.0
            try await store.saveLookupBudgets(
                [:], paid: [key: Self.digests(0..<3)], refilled: [], now: Fixture.t0 - 2 * day, forgetBefore: .distantPast)
            for second in 0..<40 {
                try await store.saveLookupBudgets(
                    [:], paid: [key: Self.digests(100 + second * 5..<100 + second * 5 + 5)], refilled: [],
                    now: Fixture.t0 + Double(second), forgetBefore: .distantPast)
            }
            let all = try await store.paidNumbers(of: key, since: Fixture.t0 - 3 * day)
            #expect(Set(all) == Set(Self.digests(0..<3) + Self.digests(100..<300)) && all.count == 203)
            let today = try await store.paidNumbers(of: key, since: Fixture.t0)
            #expect(Set(today) == Set(Self.digests(100..<300)) && today.count == 200)
            try await store.saveLookupBudgets([:], paid: [:], refilled: [], now: Fixture.t0, forgetBefore: Fixture.t0 - day)
            #expect(try await store.paidNumbers(of: key, since: .distantPast).count == 200)
            #expect(try await store.paidNumbers(of: .address("10.0.0.3"), since: .distantPast).isEmpty)
        }
    }
}
