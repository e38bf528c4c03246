import CardexCore
import Foundation
import Logging
import Synchronization

/// The anti-enumeration budgets of lookups (``LookupPolicy``): token buckets per account and per
/// client address that pay one token per number new to them.
///
/// Every bucket that is not full lives here; a bucket that is not here is full (a new one), so a
/// lookup never reads a budget. The numbers a budget paid for are read from the store when the
/// budget is first used and kept here, so telling a repeat from a new number reads nothing
/// either; the budgets used least recently are dropped past
/// ``LookupPolicy/paidNumbersInMemory``.
///
/// Changes and the numbers paid for are written to the store every
/// ``LookupPolicy/flushInterval`` and at shutdown; a bucket that has refilled is dropped, here
/// and in the store. ``restore(now:)`` loads the stored buckets at start, so budgets survive a
/// restart; a crash forgets at most one interval of spending. Memory holds one bucket per
/// account or address that spent within its refill time.
final class LookupLimiter: Sendable {
    /// The numbers one budget paid for within ``LookupPolicy/forgetPaidAfter``: those stored
    /// when it was loaded and those paid since.
    private struct PaidNumbers {
        var digests: Set<NumberDigest>
        var loadedAt: Date
        var usedAt: Date
    }

    /// How long paid numbers stay in memory before they are read again, dropping those past
    /// ``LookupPolicy/forgetPaidAfter``.
    private static let reloadInterval: TimeInterval = 86_400

    private struct State {
        var buckets: [LookupBudgetKey: TokenBucket] = [:]
        /// Budgets full again, dropped from memory, still to be deleted from the store.
        var refilled: Set<LookupBudgetKey> = []
        /// The budgets whose paid numbers are in memory.
        var paid: [LookupBudgetKey: PaidNumbers] = [:]
        /// The budgets that paid since the last save, with the numbers they paid for; and those
        /// being saved now.
        var unsaved: [LookupBudgetKey: [NumberDigest]] = [:]
        var saving: [LookupBudgetKey: [NumberDigest]] = [:]
        /// Whether a save is writing to the store, and who waits for it to end (``forget(_:)``).
        var saveInFlight = false
        var waitingForSave: [CheckedContinuation<Void, Never>] = []
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

    /// Pays for those of `digests` (distinct numbers) new to each of `budgets`, from every budget
    /// at once, or from none: RESOURCE_EXHAUSTED, with the seconds until the call can pass, when
    /// a budget lacks the tokens.
    func charge(_ digests: [NumberDigest], to budgets: [LookupBudgetKey], now: Date) async throws {
        guard !digests.isEmpty else { return }
        while true {
            let unloaded = try state.withLock { state in try chargeLoaded(digests, to: budgets, now: now, &state) }
            if unloaded.isEmpty { return }
            for key in unloaded {
                let stored = try await store.paidNumbers(of: key, since: now.addingTimeInterval(-policy.forgetPaidAfter.timeInterval))
                state.withLock { state in
                    guard state.paid[key] == nil else { return }
                    // Numbers not saved yet are only here: a budget with some is never dropped,
                    // but a save that failed may have put them back.
                    var digests = Set(stored)
                    digests.formUnion(state.unsaved[key] ?? [])
                    digests.formUnion(state.saving[key] ?? [])
                    state.paid[key] = PaidNumbers(digests: digests, loadedAt: now, usedAt: now)
                }
            }
        }
    }

    /// ``charge(_:to:now:)`` under the lock: the budgets whose paid numbers are not in memory, or
    /// were read a day ago or more (nothing is paid then), or none once paid.
    private func chargeLoaded(
        _ digests: [NumberDigest], to budgets: [LookupBudgetKey], now: Date, _ state: inout State
    ) throws -> [LookupBudgetKey] {
        for key in budgets {
            guard let paid = state.paid[key], now.timeIntervalSince(paid.loadedAt) >= Self.reloadInterval,
                state.unsaved[key] == nil, state.saving[key] == nil
            else { continue }
            state.paid[key] = nil
        }
        let unloaded = budgets.filter { state.paid[$0] == nil }
        guard unloaded.isEmpty else { return unloaded }
        var charged: [(LookupBudgetKey, TokenBucket, [NumberDigest])] = []
        var wait = 0
        for key in budgets {
            state.paid[key]?.usedAt = now
            let known = state.paid[key]?.digests ?? []
            let new = digests.filter { !known.contains($0) }
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
            state.paid[key]?.digests.formUnion(new)
            state.unsaved[key, default: []] += new
        }
        return []
    }

    /// Forgets `key`'s budget and the numbers it paid for (its account is being deleted; the
    /// store deletes its stored ones), and returns once no save that may still write them is
    /// under way: a save that read the budget before it was forgotten could otherwise write it
    /// back after the deletion.
    func forget(_ key: LookupBudgetKey) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let mustWait = state.withLock { state in
                state.buckets[key] = nil
                state.refilled.remove(key)
                state.unsaved[key] = nil
                state.saving[key] = nil
                state.paid[key] = nil
                if state.saveInFlight { state.waitingForSave.append(continuation) }
                return state.saveInFlight
            }
            if !mustWait { continuation.resume() }
        }
    }

    /// Writes the budgets changed since the last save and deletes those that have refilled
    /// (dropping them from memory); drops the paid numbers of the budgets used least recently
    /// while there are more than ``LookupPolicy/paidNumbersInMemory``. On failure everything
    /// stays to be saved at the next try.
    func save(now: Date) async throws {
        let (budgets, paid, refilled) = state.withLock { state in
            let budgets = Dictionary(uniqueKeysWithValues: state.unsaved.keys.compactMap { key in
                state.buckets[key].map { (key, StoredBudget(tokens: $0.tokens, updatedAt: $0.updatedAt)) }
            })
            for (key, bucket) in state.buckets where budgets[key] == nil && bucket.isFull(at: now) {
                state.buckets[key] = nil
                state.refilled.insert(key)
            }
            dropPaidNumbers(now: now, &state)
            state.saving = state.unsaved
            state.unsaved = [:]
            state.saveInFlight = !budgets.isEmpty || !state.refilled.isEmpty
            return (budgets, state.saving, Array(state.refilled))
        }
        guard !budgets.isEmpty || !refilled.isEmpty else { return }
        do {
            try await store.saveLookupBudgets(
                budgets, paid: paid, refilled: refilled, now: now,
                forgetBefore: now.addingTimeInterval(-policy.forgetPaidAfter.timeInterval))
            endSave { state in
                state.saving = [:]
                state.refilled.subtract(refilled)
            }
        } catch {
            endSave { state in
                for (key, digests) in state.saving { state.unsaved[key, default: []] += digests }
                state.saving = [:]
            }
            throw error
        }
    }

    /// Ends the save under way with `update`, and lets those waiting for it (``forget(_:)``) go on.
    private func endSave(_ update: (inout State) -> Void) {
        let waiting = state.withLock { state in
            update(&state)
            state.saveInFlight = false
            defer { state.waitingForSave = [] }
            return state.waitingForSave
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Past ``LookupPolicy/paidNumbersInMemory``, drops the paid numbers of the budgets used
    /// least recently, keeping those with numbers still to save and those used within the last
    /// flush interval (a call between loading and paying).
    private func dropPaidNumbers(now: Date, _ state: inout State) {
        var held = state.paid.values.reduce(0) { $0 + $1.digests.count }
        guard held > policy.paidNumbersInMemory else { return }
        let recent = now.addingTimeInterval(-policy.flushInterval.timeInterval)
        let idle = state.paid.filter { key, paid in paid.usedAt < recent && state.unsaved[key] == nil && state.saving[key] == nil }
        for (key, paid) in idle.sorted(by: { $0.value.usedAt < $1.value.usedAt }) {
            guard held > policy.paidNumbersInMemory else { break }
            state.paid[key] = nil
            held -= paid.digests.count
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
