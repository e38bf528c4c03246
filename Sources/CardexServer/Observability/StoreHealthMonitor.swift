import FramedRPCHealth
import Logging
import Synchronization

/// Keeps the health statuses (``HealthStatuses``) true to the store: every ``interval`` it runs
/// the store's probe (one trivial statement); an answer within ``timeout`` makes the server and
/// every service serving, an error or no answer not serving. A load balancer's health check
/// then takes an instance that lost its database out of rotation.
///
/// Each probe runs on a task of its own, cancelled when its time is up: postgres-nio's statements
/// do not end on cancellation, and one sent on a connection that closed as the pool lent it can
/// wait forever, so a probe that never ends holds its task, not the monitor. The next round starts
/// a new probe (on another connection) unless ``maxStuckProbes`` are still waiting: then the
/// database counts as not answering and none starts.
struct StoreHealthMonitor: Sendable {
    let probe: @Sendable () async throws -> Void
    /// Every name known there (the server's and its services') follows the probe.
    let statuses: HealthStatuses
    let interval: Duration
    let logger: Logger

    /// How long the database may take to answer a probe: 2 s (a pool that must open a
    /// connection first does a TLS handshake with PostgreSQL).
    var timeout: Duration = .seconds(2)

    /// How many given-up probes may still be waiting before no more start: 3.
    static let maxStuckProbes = 3

    /// Probes until the task is cancelled.
    func run() async {
        var serving = true
        var waiting: [ProbeAttempt] = []  // given up on, not ended
        while !Task.isCancelled {
            waiting.removeAll { $0.hasEnded }
            let failure: String?
            if waiting.count >= Self.maxStuckProbes {
                failure = "\(waiting.count) probes given up on have not ended"
            } else {
                let attempt = ProbeAttempt(probe)
                failure = await attempt.outcome(within: timeout)
                if !attempt.hasEnded { waiting.append(attempt) }
            }
            if Task.isCancelled { break }  // stopping: no verdict
            if (failure == nil) != serving {
                serving = failure == nil
                if let failure {
                    logger.error("the database does not answer: health checks say NOT_SERVING", metadata: ["reason": "\(failure)"])
                } else {
                    logger.notice("the database answers again: serving")
                }
            }
            statuses.setAll(serving ? .serving : .notServing)
            try? await Task.sleep(for: interval)
        }
    }
}

/// One run of a probe on a task of its own, and its outcome: nil when it answered, else why not.
private final class ProbeAttempt: Sendable {
    private struct State {
        /// The probe's own outcome; `.none` while it runs.
        var outcome: String??
        /// Who waits for the outcome, until it comes or the wait is given up.
        var waiter: CheckedContinuation<String?, Never>?
        /// The probe's task, cancelled when the wait is given up.
        var task: Task<Void, Never>?
    }
    private let state = Mutex(State())

    init(_ probe: @escaping @Sendable () async throws -> Void) {
        let task = Task { [self] in
            do {
                try await probe()
                end(nil)
            } catch {
                end("\(error)")
            }
        }
        state.withLock { $0.task = task }
    }

    var hasEnded: Bool { state.withLock { $0.outcome != nil } }

    /// The probe's outcome if it comes within `limit`; else why not, and the probe is cancelled
    /// (it may go on: ``hasEnded`` says when it stopped). A cancelled caller stops waiting at once.
    func outcome(within limit: Duration) async -> String? {
        let timer = Task { [self] in
            try? await Task.sleep(for: limit)
            if !Task.isCancelled { giveUp("no answer within \(limit)") }
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let known = state.withLock { state -> String?? in
                    if state.outcome == nil { state.waiter = continuation }
                    return state.outcome
                }
                if let known { continuation.resume(returning: known) }
            }
        } onCancel: {
            giveUp("stopped")
        }
    }

    /// Records the probe's outcome and hands it to the waiter, if one still waits.
    private func end(_ outcome: String?) {
        let waiter = state.withLock { state in
            state.outcome = .some(outcome)
            return state.waiter.take()
        }
        waiter?.resume(returning: outcome)
    }

    /// Ends the wait (if one is under way) with `reason`, and cancels the probe.
    private func giveUp(_ reason: String) {
        let (waiter, task) = state.withLock { ($0.waiter.take(), $0.task) }
        waiter?.resume(returning: reason)
        task?.cancel()
    }
}
