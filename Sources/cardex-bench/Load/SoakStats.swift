import Synchronization

/// Calls, errors and latencies of the soak: per report window and in total.
final class SoakStats: Sendable {
    private struct State {
        var latencies: [Double] = []
        var errors = 0
        var totalCalls = 0
        var totalErrors = 0
        var firstError: String?
    }

    private let state = Mutex(State())

    func record(_ milliseconds: Double, error: (any Error)?) {
        state.withLock { state in
            state.latencies.append(milliseconds)
            state.totalCalls += 1
            if let error {
                state.errors += 1
                state.totalErrors += 1
                if state.firstError == nil { state.firstError = "\(error)" }
            }
        }
    }

    /// The window since the last call: calls, errors, median and 99th percentile latency.
    func takeWindow() -> (calls: Int, errors: Int, p50: Double, p99: Double) {
        let (latencies, errors) = state.withLock { state in
            defer {
                state.latencies = []
                state.errors = 0
            }
            return (state.latencies, state.errors)
        }
        return (latencies.count, errors, percentile(0.5, of: latencies), percentile(0.99, of: latencies))
    }

    var totalCalls: Int { state.withLock { $0.totalCalls } }
    var totalErrors: Int { state.withLock { $0.totalErrors } }
    var firstError: String? { state.withLock { $0.firstError } }
}
