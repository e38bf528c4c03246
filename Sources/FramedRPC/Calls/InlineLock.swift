import Synchronization

/// A lock stored inside the object it guards, for the per-call objects that take a lock on
/// every call: unlike `NIOLock`, it costs no allocation of its own.
struct InlineLock: ~Copyable, Sendable {
    private let mutex = Mutex(())

    init() {}

    /// Runs `body` holding the lock. Not reentrant.
    func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> sending Result) throws(Failure) -> sending Result {
        try mutex.withLock { _ throws(Failure) -> sending Result in try body() }
    }
}
