import Foundation

/// Runs an `async` operation on the thread that holds a database connection, so each of its
/// store calls runs the connection's statements at once, on that thread, without a hop.
///
/// GRDB hands out a connection only inside a synchronous closure (`pool.write { db in … }`) on
/// the connection's own thread. A use case is `async` (the PostgreSQL backend awaits each
/// query), so inside that closure ``run(_:)`` starts the operation as a task whose executor
/// preference is this executor, and runs the task's jobs on the closure's thread until it ends.
/// Its store calls are `async` but never suspend on SQLite: they run synchronously on this thread,
/// inside the transaction. An `await` on something else (an actor, a lock-free check) suspends
/// the task; the thread waits until its job is enqueued again.
///
/// Rules for the operation: it must not wait for another transaction on the same store (the
/// connection is this one: it would wait forever), and it must not leave unstructured tasks
/// behind that prefer this executor (they would never run once ``run(_:)`` returns).
final class ConnectionThreadExecutor: TaskExecutor, @unchecked Sendable {
    // The jobs waiting to run, and whether the operation has ended, under `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var ended = false

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Runs `operation` to its end with every job of it on the calling thread, blocking that
    /// thread meanwhile; returns its result or throws its error.
    func run<T>(_ operation: sending @escaping () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        Task(executorPreference: self) {
            do {
                outcome.result = .success(try await operation())
            } catch {
                outcome.result = .failure(error)
            }
            self.end()
        }
        drain()
        // `drain` returned after `end()`, which the task called after setting the result.
        return try outcome.result!.get()
    }

    private func end() {
        condition.lock()
        ended = true
        condition.signal()
        condition.unlock()
    }

    /// Runs jobs as they come until the operation has ended and none is left.
    private func drain() {
        let executor = asUnownedTaskExecutor()
        while true {
            condition.lock()
            while jobs.isEmpty && !ended { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job.runSynchronously(on: executor) }
        }
    }

    /// The operation's result, written by its task and read by ``run(_:)`` after the task ended
    /// (the condition's lock orders the two).
    private final class Outcome<T>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }
}
