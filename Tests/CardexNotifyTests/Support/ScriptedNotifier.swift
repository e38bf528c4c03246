import CardexCore
import CardexNotify
import Synchronization

/// A notifier that records what it was handed, how many deliveries overlapped, and fails
/// while told to.
final class ScriptedNotifier: Notifier, Sendable {
    /// The error thrown while failing.
    struct Refused: Error, CustomStringConvertible {
        var description: String { "gateway refused the message" }
    }

    private struct State {
        var failing: Bool
        var calls: [Int64] = []
        var bodies: [String] = []
        var inFlight = 0
        var peakInFlight = 0
    }

    private let state: Mutex<State>

    init(failing: Bool = false) {
        state = Mutex(State(failing: failing))
    }

    /// Ids handed over, in call order (failed calls included).
    var calls: [Int64] { state.withLock { $0.calls } }
    /// The bodies handed over, in call order (failed calls included).
    var bodies: [String] { state.withLock { $0.bodies } }
    /// Most deliveries ever in flight at once.
    var peakInFlight: Int { state.withLock { $0.peakInFlight } }

    func deliver(_ message: OutboxMessage) async throws {
        let failing = state.withLock { state in
            state.calls.append(message.id)
            state.bodies.append(message.body)
            state.inFlight += 1
            state.peakInFlight = max(state.peakInFlight, state.inFlight)
            return state.failing
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        // Give other deliveries a chance to start while this one is in flight.
        for _ in 0..<20 { await Task.yield() }
        if failing { throw Refused() }
    }
}

/// A notifier whose deliveries wait until the test opens the gate.
final class GatedNotifier: Notifier, Sendable {
    private struct State {
        var isOpen = false
        var started: [Int64] = []
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Ids whose delivery began, in order.
    var started: [Int64] { state.withLock { $0.started } }

    /// Lets every waiting and future delivery finish.
    func open() {
        let waiting = state.withLock { state in
            state.isOpen = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    func deliver(_ message: OutboxMessage) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = state.withLock { state in
                state.started.append(message.id)
                if !state.isOpen { state.waiting.append(continuation) }
                return state.isOpen
            }
            if isOpen { continuation.resume() }
        }
    }
}
