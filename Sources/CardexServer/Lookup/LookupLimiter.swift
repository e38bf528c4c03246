import CardexCore
import Foundation
import Logging
import Synchronization

/// The anti-enumeration budgets of lookups (``LookupPolicy``): token buckets per account and per
/// client address that pay one token per number new to them.
///
/// Every bucket that is not full lives here; a bucket that is not here is full (a new one), so a
/// lookup never reads a budget. Changes and the numbers paid for are written to the store every
/// ``LookupPolicy/flushInterval`` and at shutdown; a bucket that has refilled is dropped, here
/// and in the store. ``restore(now:)`` loads the stored buckets at start, so budgets survive a
/// restart; a crash forgets at most one interval of spending. Memory holds one bucket per
/// account or address that spent within its refill time.
final class LookupLimiter: Sendable {
    private struct State {
        var buckets: [LookupBudgetKey: TokenBucket] = [:]
        /// Budgets changed since the last save.
        var unsaved: Set<LookupBudgetKey> = []
        /// Budgets full again, dropped from memory, still to be deleted from the store.
        var refilled: Set<LookupBudgetKey> = []
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

    /// Loads the stored buckets (those that have not refilled by `now`); call before the first
    /// lookup.
    func restore(now: Date) async throws {
        let stored = try await store.lookupBudgets()
        state.withLock { state in
            for (key, budget) in stored {
                let bucket = TokenBucket(rule: policy.rule(for: key), tokens: budget.tokens, updatedAt: budget.updatedAt)
                if bucket.isFull(at: now) { state.refilled.insert(key) } else { state.buckets[key] = bucket }
            }
        }
    }

    /// Pays for the numbers `read` found unpaid in each of `budgets`, from every budget at once,
    /// or from none: RESOURCE_EXHAUSTED, with the seconds until the call can pass, when a budget
    /// lacks the tokens.
    func charge(_ read: LookupRead, to budgets: [LookupBudgetKey], now: Date) throws {
        try state.withLock { state in
            var charged: [(LookupBudgetKey, TokenBucket, Set<Data>)] = []
            var wait = 0
            for key in budgets {
                // Filtered one by one: `subtracting` would walk the (large) pending sets under the lock.
                let (paid, saving) = (state.paid[key], state.saving[key])
                let new = (read.unseen[key] ?? []).filter { paid?.contains($0) != true && saving?.contains($0) != true }
                guard !new.isEmpty else { continue }
                var bucket = state.buckets[key] ?? TokenBucket(rule: policy.rule(for: key), now: now)
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
                state.refilled.remove(key)
                state.paid[key, default: []].formUnion(new)
                state.unsaved.insert(key)
            }
        }
    }

    /// Writes the budgets changed since the last save and deletes those that have refilled
    /// (dropping them from memory). On failure everything stays to be saved at the next try.
    func save(now: Date) async throws {
        let (budgets, paid, refilled) = state.withLock { state in
            let budgets = Dictionary(uniqueKeysWithValues: state.unsaved.compactMap { key in
                state.buckets[key].map { (key, StoredBudget(tokens: $0.tokens, updatedAt: $0.updatedAt)) }
            })
            for (key, bucket) in state.buckets where budgets[key] == nil && bucket.isFull(at: now) {
                state.buckets[key] = nil
                state.refilled.insert(key)
            }
            state.saving = state.paid
            state.paid = [:]
            state.unsaved = []
            return (budgets, state.saving, Array(state.refilled))
        }
        guard !budgets.isEmpty || !refilled.isEmpty else { return }
        do {
            try await store.saveLookupBudgets(budgets, paid: paid, refilled: refilled, now: now)
            state.withLock { state in
                state.saving = [:]
                state.refilled.subtract(refilled)
            }
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
