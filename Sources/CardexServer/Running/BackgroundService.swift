import Logging
import ServiceLifecycle
import Synchronization

/// One of the loops a running server keeps beside its calls (the notification worker, the
/// lookup-budget saver, the listener for other instances…) as a service of its group, named
/// for the log.
///
/// ``run()`` runs the loop until graceful shutdown (or cancellation), then cancels it and
/// waits for it to end, ``stopLimit`` at most: a loop that outlives the limit is logged and
/// left running (the process is about to exit), so one stuck loop does not hold up the rest of
/// the shutdown. The loop's error, or its ending before shutdown (a loop ends only when
/// cancelled), ends ``run()`` with an error, which the server's group reports.
struct BackgroundService: Service, CustomStringConvertible {
    /// What the loop does, for the log.
    let description: String
    /// How long stopping waits for the loop (a final save included) to end.
    let stopLimit: Duration
    private let logger: Logger
    private let operation: @Sendable () async throws -> Void

    init(_ name: String, stopLimit: Duration, logger: Logger, _ operation: @escaping @Sendable () async throws -> Void) {
        self.description = name
        self.stopLimit = stopLimit
        self.logger = logger
        self.operation = operation
    }

    func run() async throws {
        // Unstructured, so that a loop that does not end in time can be left.
        let loop = Task(operation: operation)
        let outcome = Outcome()
        let stop: @Sendable () -> Void = { [stopLimit] in
            outcome.stopping()
            loop.cancel()
            outcome.setTimer(
                Task {
                    try? await Task.sleep(for: stopLimit)
                    outcome.settle(.outlived)
                })
        }
        Task {
            let result = await loop.result
            outcome.settle(.ended(result))
        }
        let ended = await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await outcome.value()
            } onGracefulShutdown: {
                stop()
            }
        } onCancel: {
            stop()
        }
        switch ended {
        case .outlived:
            logger.error("a background task did not stop in time; stopping without it", metadata: ["task": "\(description)", "waited": "\(stopLimit)"])
        case .ended(.failure(let error)) where error is CancellationError && outcome.wasStopping:
            return
        case .ended(.failure(let error)):
            throw CardexServerError("the \(description) failed: \(error)")
        case .ended(.success):
            if !outcome.wasStopping {
                throw CardexServerError("the \(description) ended before the server stopped")
            }
        }
    }
}

extension BackgroundService {
    /// How ``run()`` ends: the first of the loop ending and the stop limit passing, once asked.
    private final class Outcome: Sendable {
        enum End: Sendable {
            case ended(Result<Void, any Error>)
            case outlived
        }

        private struct State {
            var end: End?
            var waiting: CheckedContinuation<End, Never>?
            var timer: Task<Void, Never>?
            var stopping = false
        }

        private let state = Mutex(State())

        /// Whether stopping was asked before the loop ended.
        var wasStopping: Bool { state.withLock { $0.stopping } }

        func stopping() { state.withLock { $0.stopping = true } }

        /// Keeps the stop limit's timer, to cancel it when the loop ends first.
        func setTimer(_ timer: Task<Void, Never>) {
            let ended = state.withLock { state in
                if state.end == nil { state.timer = timer }
                return state.end != nil
            }
            if ended { timer.cancel() }
        }

        /// The first end given wins; later ones are ignored.
        func settle(_ end: End) {
            let (waiting, timer) = state.withLock { state -> (CheckedContinuation<End, Never>?, Task<Void, Never>?) in
                guard state.end == nil else { return (nil, nil) }
                state.end = end
                defer { (state.waiting, state.timer) = (nil, nil) }
                return (state.waiting, state.timer)
            }
            timer?.cancel()
            waiting?.resume(returning: end)
        }

        /// Waits for the first end.
        func value() async -> End {
            await withCheckedContinuation { continuation in
                let end = state.withLock { state in
                    if state.end == nil { state.waiting = continuation }
                    return state.end
                }
                if let end { continuation.resume(returning: end) }
            }
        }
    }
}
