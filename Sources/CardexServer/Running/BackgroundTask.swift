import Synchronization

/// One of the tasks a running server keeps beside its calls (the notification worker, the
/// lookup-budget saver, the listener for other instances…), named for the log.
struct BackgroundTask: Sendable {
    let name: String
    let task: Task<Void, Never>

    init(_ name: String, _ operation: sending @escaping @isolated(any) () async -> Void) {
        self.name = name
        self.task = Task(operation: operation)
    }

    /// Cancels the task and waits for it to end, for `limit` at most: whether it ended in time.
    /// A task that outlives the limit is left running (the process is about to exit).
    func stop(within limit: Duration) async -> Bool {
        task.cancel()
        let task = task
        let answer = Mutex<CheckedContinuation<Bool, Never>?>(nil)
        return await withCheckedContinuation { continuation in
            answer.withLock { $0 = continuation }
            let resume = { @Sendable (ended: Bool) in answer.withLock { $0.take() }?.resume(returning: ended) }
            let timer = Task {
                try? await Task.sleep(for: limit)
                resume(false)
            }
            Task {
                await task.value
                resume(true)
                timer.cancel()  // after: a cancelled timer wakes, and finds the answer given
            }
        }
    }
}
