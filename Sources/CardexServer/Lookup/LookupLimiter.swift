import CardexCore
import Foundation
import Logging
import Synchronization

/// The anti-enumeration budgets of lookups (``LookupPolicy``): token buckets per account and per
/// client address that pay one token per number new to them.
///
/// The buckets and the numbers paid for live here and are written to the store every
/// ``LookupPolicy/flushInterval`` (and at shutdown), so a lookup costs no write transaction; a
/// budget this process has not touched yet comes from the store, so budgets survive a restart.
/// A crash forgets at most one interval of spending.
final class LookupLimiter: Sendable {
    private struct State {
        var buckets: [LookupBudgetKey: TokenBucket] = [:]
        /// Budgets changed since the last save.
        var unsaved: Set<LookupBudgetKey> = []
        /// Numbers paid for since the last save (or being saved now), by budget.
        var paid: [LookupBudgetKey: Set<Data>] = [:]
        var saving: [LookupBudgetKey: Set<Data>] = [:]
    }

    let policy: LookupPolicy
    let digester: NumberDigester
    private let store: any LookupStore
    private let state = Mutex(State())

    init(policy: LookupPolicy, digester: NumberDigester, store: any LookupStore) {
        self.policy = policy
        self.digester = digester
        self.store = store
    }

    /// The budgets a call from `account` at `address` pays from, with their rules.
    func budgets(account: UserID, address: String) -> [(key: LookupBudgetKey, rule: BudgetRule)] {
        [(.account(account), policy.perAccount), (.address(address), policy.perAddress)]
    }

    /// The budgets of `keys` this limiter does not hold: their state must come from the store.
    func notInMemory(_ keys: [LookupBudgetKey]) -> [LookupBudgetKey] {
        state.withLock { state in keys.filter { state.buckets[$0] == nil } }
    }

    /// Pays for the numbers `read` found unpaid in each budget, from every budget at once, or
    /// from none: RESOURCE_EXHAUSTED, with the seconds until the call can pass, when a budget
    /// lacks the tokens.
    /// - Returns: false, having paid nothing, when a budget left memory after the read was
    ///   planned without its stored state: read again (with ``notInMemory(_:)``) and retry.
    func charge(_ read: LookupRead, to budgets: [(key: LookupBudgetKey, rule: BudgetRule)], now: Date) throws -> Bool {
        try state.withLock { state in
            guard budgets.allSatisfy({ state.buckets[$0.key] != nil || read.loaded.contains($0.key) }) else { return false }
            var charged: [(LookupBudgetKey, TokenBucket, Set<Data>)] = []
            var wait = 0
            for (key, rule) in budgets {
                // Filtered one by one: `subtracting` would walk the (large) pending sets under the lock.
                let (paid, saving) = (state.paid[key], state.saving[key])
                let new = (read.unseen[key] ?? []).filter { paid?.contains($0) != true && saving?.contains($0) != true }
                var bucket =
                    state.buckets[key]
                    ?? read.stored[key].map { TokenBucket(rule: rule, tokens: $0.tokens, updatedAt: $0.updatedAt) }
                    ?? TokenBucket(rule: rule, now: now)
                switch bucket.take(new.count, at: now) {
                case .taken: charged.append((key, bucket, new))
                case .wait(let seconds): wait = max(wait, seconds)
                }
            }
            guard wait == 0 else {
                throw CardexError.resourceExhausted(
                    "too many numbers looked up for the first time; numbers already answered cost nothing", retryAfterSeconds: wait)
            }
            for (key, bucket, new) in charged {
                state.buckets[key] = bucket
                guard !new.isEmpty else { continue }
                state.paid[key, default: []].formUnion(new)
                state.unsaved.insert(key)
            }
            return true
        }
    }

    /// Writes the budgets changed since the last save; forgets, from memory, budgets idle for
    /// ten minutes (the store has them). On failure they stay unsaved for the next try.
    func save(now: Date) async throws {
        let (budgets, paid) = state.withLock { state in
            let budgets = Dictionary(uniqueKeysWithValues: state.unsaved.compactMap { key in
                state.buckets[key].map { (key, StoredBudget(tokens: $0.tokens, updatedAt: $0.updatedAt)) }
            })
            state.buckets = state.buckets.filter { key, bucket in
                budgets[key] != nil || now.timeIntervalSince(bucket.updatedAt) < 600
            }
            state.saving = state.paid
            state.paid = [:]
            state.unsaved = []
            return (budgets, state.saving)
        }
        guard !budgets.isEmpty else { return }
        do {
            try await store.saveLookupBudgets(budgets, paid: paid, now: now)
            state.withLock { $0.saving = [:] }
        } catch {
            state.withLock { state in
                for (key, digests) in state.saving { state.paid[key, default: []].formUnion(digests) }
                state.saving = [:]
                state.unsaved.formUnion(budgets.keys)
            }
            throw error
        }
    }

    /// Saves every ``LookupPolicy/flushInterval`` until cancelled, then once more.
    func run(clock: any WallClock, logger: Logger) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: policy.flushInterval)
            } catch {
                break
            }
            await saveLogging(clock: clock, logger: logger)
        }
        // In a task of its own: this one is cancelled, and the store would refuse to write.
        await Task { await saveLogging(clock: clock, logger: logger) }.value
    }

    private func saveLogging(clock: any WallClock, logger: Logger) async {
        do {
            try await save(now: clock.now())
        } catch {
            logger.error("could not save lookup budgets; will retry", metadata: ["error": "\(error)"])
        }
    }
}
