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
///
/// **Shared budgets.** On a database several instances share (``SharedLookupBudgets``) the
/// buckets live there, not here: a call takes its tokens from a lease this instance holds, and
/// an instance whose lease is short leases more, in one transaction per call that needs it (the
/// call's need plus ``leaseChunk(of:)``, as much as the budget holds). Leases idle for
/// ``leaseIdleTime`` and all leases at shutdown are put back. The instances together never grant
/// more than one budget; a lease an instance dies holding is lost (the budget is stricter for
/// its refill time). The numbers paid for stay here as above, saved every interval; a number
/// another instance paid for since this one read the budget's numbers costs again, unless the
/// budget is short: then its numbers are read again before the call is refused.
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

    /// Tokens this instance leased from a shared budget and has not spent.
    private struct Lease {
        var tokens: Int
        var usedAt: Date
    }

    /// How long a lease may sit unused before it is put back.
    static let leaseIdleTime: TimeInterval = 5
    /// How often stored budgets that have refilled are deleted, with shared budgets.
    private static let dropInterval: TimeInterval = 60

    private struct State {
        var buckets: [LookupBudgetKey: TokenBucket] = [:]
        /// With shared budgets: the tokens leased, by budget.
        var leases: [LookupBudgetKey: Lease] = [:]
        /// With shared budgets: when refilled budgets were last deleted from the store.
        var droppedAt: Date?
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
    /// Where the buckets are when several instances share them; `nil`: here.
    private let shared: (any SharedLookupBudgets)?
    private let state = Mutex(State())

    init(policy: LookupPolicy, digester: NumberDigester, store: any LookupStore, shared: (any SharedLookupBudgets)? = nil) {
        self.policy = policy
        self.digester = digester
        self.store = store
        self.shared = shared
    }

    /// The tokens leased beyond a call's need: a twentieth of the budget's burst, at least one.
    static func leaseChunk(of rule: BudgetRule) -> Int { max(1, rule.burst / 20) }

    /// Loads the stored buckets (those that have not refilled by `now`); call before the first
    /// lookup. Shared budgets stay in the database.
    func restore(now: Date) async throws {
        guard shared == nil else { return }
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
        var reread = false
        // Each lease makes the next step pay; more than a few steps means others spend the
        // leases as fast as they come, and the call is refused as one short of tokens.
        for _ in 0..<8 {
            switch try state.withLock({ state in try chargeLoaded(digests, to: budgets, now: now, &state) }) {
            case .paid:
                return
            case .load(let unloaded):
                try await load(unloaded, now: now)
            case .lease(let leases):
                guard let shared else { preconditionFailure("leases come from shared budgets") }
                switch try await shared.leaseLookupTokens(leases, now: now) {
                case .taken(let taken):
                    state.withLock { state in
                        // Used now: a save running meanwhile must not put it back as idle.
                        for (key, tokens) in taken {
                            var lease = state.leases[key] ?? Lease(tokens: 0, usedAt: now)
                            lease.tokens += tokens
                            lease.usedAt = max(lease.usedAt, now)
                            state.leases[key] = lease
                        }
                    }
                case .wait(let seconds):
                    guard !reread else { throw Self.exhausted(seconds) }
                    // Numbers another instance paid for since these were read cost nothing:
                    // read them again before refusing.
                    reread = true
                    state.withLock { state in for lease in leases { state.paid[lease.key] = nil } }
                }
            }
        }
        throw Self.exhausted(1)
    }

    private static func exhausted(_ seconds: Int) -> CardexError {
        .resourceExhausted("too many numbers looked up for the first time; numbers already answered cost nothing", retryAfterSeconds: seconds)
    }

    /// Reads the numbers `keys` paid for into memory.
    private func load(_ keys: [LookupBudgetKey], now: Date) async throws {
        for key in keys {
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

    /// What ``chargeLoaded(_:to:now:_:)`` did, or what it needs first.
    private enum Step {
        /// Paid (or nothing new to pay for).
        case paid
        /// The paid numbers of these budgets must be read first.
        case load([LookupBudgetKey])
        /// Shared budgets: these leases must be taken first.
        case lease([LookupLease])
    }

    /// ``charge(_:to:now:)`` under the lock: pays from the buckets (or the leases) when their
    /// paid numbers are in memory and the tokens are here; otherwise says what is needed first.
    /// Paid numbers read a day ago or more are read again (nothing is paid then).
    private func chargeLoaded(_ digests: [NumberDigest], to budgets: [LookupBudgetKey], now: Date, _ state: inout State) throws -> Step {
        // Reading again merges the numbers not saved yet, so a save under way does not hold it up.
        for key in budgets {
            guard let paid = state.paid[key], now.timeIntervalSince(paid.loadedAt) >= Self.reloadInterval else { continue }
            state.paid[key] = nil
        }
        let unloaded = budgets.filter { state.paid[$0] == nil }
        guard unloaded.isEmpty else { return .load(unloaded) }
        var new: [(LookupBudgetKey, [NumberDigest])] = []
        for key in budgets {
            state.paid[key]?.usedAt = now
            let known = state.paid[key]?.digests ?? []
            let unknown = digests.filter { !known.contains($0) }
            if !unknown.isEmpty { new.append((key, unknown)) }
        }
        if shared != nil {
            let short = new.compactMap { key, numbers -> LookupLease? in
                let held = state.leases[key]?.tokens ?? 0
                guard held < numbers.count else { return nil }
                let rule = policy.rule(for: key)
                return LookupLease(key: key, rule: rule, least: numbers.count - held, most: numbers.count - held + Self.leaseChunk(of: rule))
            }
            guard short.isEmpty else { return .lease(short) }
            for (key, numbers) in new {
                state.leases[key]?.tokens -= numbers.count
                state.leases[key]?.usedAt = now
            }
        } else {
            var charged: [(LookupBudgetKey, TokenBucket)] = []
            var wait = 0
            for (key, numbers) in new {
                var bucket = state.buckets[key] ?? TokenBucket(rule: policy.rule(for: key), now: now)
                switch bucket.take(numbers.count, at: now) {
                case .taken: charged.append((key, bucket))
                case .wait(let seconds): wait = max(wait, seconds)
                }
            }
            guard wait == 0 else { throw Self.exhausted(wait) }
            for (key, bucket) in charged {
                state.buckets[key] = bucket
                state.refilled.remove(key)
            }
        }
        for (key, numbers) in new {
            state.paid[key]?.digests.formUnion(numbers)
            state.unsaved[key, default: []] += numbers
        }
        return .paid
    }

    /// Forgets `key`'s budget and the numbers it paid for (its account is being deleted; the
    /// store deletes its stored ones), and returns once no save that may still write them is
    /// under way: a save that read the budget before it was forgotten could otherwise write it
    /// back after the deletion.
    func forget(_ key: LookupBudgetKey) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let mustWait = state.withLock { state in
                state.buckets[key] = nil
                state.leases[key] = nil
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
    /// while there are more than ``LookupPolicy/paidNumbersInMemory``; with shared budgets, puts
    /// back idle leases (every lease when `final`: the server is stopping). On failure
    /// everything stays to be saved at the next try; each part is tried whether or not the
    /// other failed.
    func save(now: Date, final: Bool = false) async throws {
        var failure: (any Error)?
        do { try await saveStored(now: now) } catch { failure = error }
        if let shared {
            do { try await settleLeases(shared, now: now, all: final) } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }

    /// The budgets and paid numbers part of ``save(now:final:)``.
    private func saveStored(now: Date) async throws {
        let (budgets, paid, refilled) = state.withLock { state in
            let budgets = Dictionary(
                uniqueKeysWithValues: state.unsaved.keys.compactMap { key in
                    state.buckets[key].map { (key, StoredBudget(tokens: $0.tokens, updatedAt: $0.updatedAt)) }
                })
            for (key, bucket) in state.buckets where budgets[key] == nil && bucket.isFull(at: now) {
                state.buckets[key] = nil
                state.refilled.insert(key)
            }
            dropPaidNumbers(now: now, &state)
            state.saving = state.unsaved
            state.unsaved = [:]
            state.saveInFlight = !budgets.isEmpty || !state.refilled.isEmpty || !state.saving.isEmpty
            return (budgets, state.saving, Array(state.refilled))
        }
        guard !budgets.isEmpty || !refilled.isEmpty || !paid.isEmpty else { return }
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

    /// Shared budgets: puts back the leases idle for ``leaseIdleTime`` (`all` of them when the
    /// server stops), and deletes the stored budgets that have
    /// refilled every ``dropInterval``. A lease that cannot be put back is kept for the next try.
    private func settleLeases(_ shared: any SharedLookupBudgets, now: Date, all: Bool) async throws {
        let (idle, drop) = state.withLock { state in
            let idle = state.leases.filter { _, lease in
                lease.tokens > 0 && (all || now.timeIntervalSince(lease.usedAt) >= Self.leaseIdleTime)
            }
            for key in idle.keys { state.leases[key] = nil }
            let drop = state.droppedAt.map { now.timeIntervalSince($0) >= Self.dropInterval } ?? true
            if drop { state.droppedAt = now }
            return (idle, drop)
        }
        do {
            try await shared.returnLookupTokens(
                idle.map { LookupLease.Return(key: $0.key, rule: policy.rule(for: $0.key), tokens: $0.value.tokens) }, now: now)
        } catch {
            state.withLock { state in
                for (key, lease) in idle { state.leases[key, default: Lease(tokens: 0, usedAt: lease.usedAt)].tokens += lease.tokens }
            }
            throw error
        }
        guard drop else { return }
        for (accounts, rule) in [(true, policy.perAccount), (false, policy.perAddress)] {
            guard let fill = rule.timeToFill else { continue }
            try await shared.dropRefilledLookupBudgets(accounts: accounts, untouchedSince: now.addingTimeInterval(-fill.timeInterval))
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
        await Task { await saveLogging(clock: clock, logger: logger, final: true) }.value
    }

    private func saveLogging(clock: any WallClock, logger: Logger, final: Bool = false) async {
        do {
            try await save(now: clock.now(), final: final)
        } catch {
            logger.error("could not save lookup budgets; will retry", metadata: ["error": "\(error)"])
        }
    }
}
