import Synchronization

/// A value that is set once and awaited by any number of tasks.
final class OneShot<Value: Sendable>: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = InlineLock()
    private var result: Result<Value, RPCError>?
    private var waiters: [UnsafeContinuation<Value, any Error>] = []

    init() {}

    /// Sets the value; later calls are ignored.
    func succeed(_ value: Value) {
        complete(.success(value))
    }

    /// Fails waiters; ignored once set.
    func fail(_ error: RPCError) {
        complete(.failure(error))
    }

    /// The value if it has been set.
    var current: Value? {
        lock.withLock { try? result?.get() }
    }

    /// Waits for the value.
    func value() async throws -> Value {
        if let result = lock.withLock({ result }) { return try result.get() }
        return try await withUnsafeThrowingContinuation { continuation in
            let ready: Result<Value, RPCError>? = lock.withLock {
                if let result { return result }
                waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    private func complete(_ value: Result<Value, RPCError>) {
        let woken: [UnsafeContinuation<Value, any Error>] = lock.withLock {
            guard result == nil else { return [] }
            result = value
            defer { waiters = [] }
            return waiters
        }
        for waiter in woken { waiter.resume(with: value) }
    }
}
