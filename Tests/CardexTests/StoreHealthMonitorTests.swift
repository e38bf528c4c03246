import FramedRPCHealth
import Logging
import Synchronization
import Testing

@testable import CardexServer

@Suite("Database health probes")
struct StoreHealthMonitorTests {
    @Test("probes that never answer make NOT_SERVING in their time, pile up no further than the limit, and do not hold up stopping")
    func stuckProbe() async throws {
        let (probe, statuses, running) = Self.monitor()
        try await Self.waitUntil { probe.starts >= 3 && statuses.status(of: "") == .serving }

        probe.stick()  // from now on a probe waits, deaf to cancellation, until released
        try await Self.waitUntil { statuses.status(of: "") == .notServing }
        try await Self.waitUntil { probe.waiting == StoreHealthMonitor.maxStuckProbes }
        try await Task.sleep(for: .milliseconds(500))
        #expect(probe.waiting == StoreHealthMonitor.maxStuckProbes, "stuck probes piled up")
        #expect(statuses.status(of: "") == .notServing)

        probe.release()
        try await Self.waitUntil { statuses.status(of: "") == .serving }

        probe.stick()
        try await Self.waitUntil { statuses.status(of: "") == .notServing }
        let stopping = ContinuousClock.now
        running.cancel()
        await running.value
        #expect(ContinuousClock.now - stopping < .seconds(1))
        probe.release()
    }

    @Test("one probe that never ends does not keep the server NOT_SERVING once the next ones answer")
    func oneStuckProbe() async throws {
        let (probe, statuses, running) = Self.monitor()
        probe.stickOnce()
        try await Self.waitUntil { statuses.status(of: "") == .notServing }
        try await Self.waitUntil { statuses.status(of: "") == .serving }
        #expect(probe.waiting == 1)
        running.cancel()
        await running.value
        probe.release()
    }

    /// A monitor running on a scripted probe every 20 ms, 200 ms to answer, serving to start.
    private static func monitor() -> (ScriptedProbe, HealthStatuses, Task<Void, Never>) {
        let statuses = HealthStatuses()
        statuses.set(.serving)
        let probe = ScriptedProbe()
        let monitor = StoreHealthMonitor(
            probe: { await probe.run() }, statuses: statuses, interval: .milliseconds(20), logger: Logger(label: "test"),
            timeout: .milliseconds(200))
        return (probe, statuses, Task { await monitor.run() })
    }

    private static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(60)  // the whole suite at once can stall a process for seconds
        while !condition() {
            try #require(ContinuousClock.now < deadline, "timed out")
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// A probe that answers at once, or, while stuck, waits until released whether cancelled or not
/// (as a statement on a connection that stopped answering does).
private final class ScriptedProbe: Sendable {
    private struct State {
        var starts = 0
        var stuck = false
        var stuckOnce = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    var starts: Int { state.withLock { $0.starts } }
    var waiting: Int { state.withLock { $0.waiting.count } }

    func run() async {
        await withCheckedContinuation { continuation in
            let answerNow = state.withLock { state in
                state.starts += 1
                let stuck = state.stuck || state.stuckOnce
                state.stuckOnce = false
                if stuck { state.waiting.append(continuation) }
                return !stuck
            }
            if answerNow { continuation.resume() }
        }
    }

    func stick() { state.withLock { $0.stuck = true } }

    /// The next probe waits until released; later ones answer.
    func stickOnce() { state.withLock { $0.stuckOnce = true } }

    func release() {
        let waiting = state.withLock { state in
            state.stuck = false
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
