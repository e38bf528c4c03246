import Synchronization

/// The send side's flow-control window of one call direction (docs/PROTOCOL.md §5), and,
/// counting calls instead of bytes, a client connection's free call slots.
///
/// ``reserve(_:)`` lets a message go while the window is positive, subtracting its size (the
/// window may go negative), and otherwise suspends until ``grant(_:)`` makes it positive or
/// ``fail(_:)`` ends the call.
final class SendWindow: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = InlineLock()
    private var window: Int
    private var failure: RPCError?
    private var waiters: [UInt64: UnsafeContinuation<Void, any Error>] = [:]
    private var nextWaiterID: UInt64 = 0

    init(initial: Int = FlowControl.initialWindow) {
        window = initial
    }

    /// Waits until a message of `bytes` may be sent, then accounts for it.
    /// Throws the failure once the window has failed, or `CANCELLED` if the task is cancelled.
    nonisolated(nonsending) func reserve(_ bytes: Int) async throws {
        while true {
            let waitID: UInt64? = try lock.withLock {
                if let failure { throw failure }
                if window > 0 {
                    window -= bytes
                    return nil
                }
                defer { nextWaiterID += 1 }
                return nextWaiterID
            }
            guard let waitID else { return }
            try await withTaskCancellationHandler {
                try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                    let immediate: Result<Void, any Error>? = lock.withLock {
                        if let failure { return .failure(failure) }
                        if Task.isCancelled { return .failure(RPCError(code: .cancelled, message: "the call was cancelled")) }
                        if window > 0 { return .success(()) }
                        waiters[waitID] = continuation
                        return nil
                    }
                    if let immediate { continuation.resume(with: immediate) }
                }
            } onCancel: {
                let waiter = lock.withLock { waiters.removeValue(forKey: waitID) }
                waiter?.resume(throwing: RPCError(code: .cancelled, message: "the call was cancelled"))
            }
        }
    }

    /// Accounts for a message sent without waiting (the first message of a fresh call, whose
    /// window is always positive). Returns `false`, changing nothing, if the window is not positive.
    func reserveWithoutWaiting(_ bytes: Int) -> Bool {
        lock.withLock {
            guard failure == nil, window > 0 else { return false }
            window -= bytes
            return true
        }
    }

    /// Adds credit; wakes waiters once the window is positive. Returns `false` (and changes
    /// nothing) when the window would exceed ``FlowControl/maxWindow``.
    @discardableResult
    func grant(_ bytes: Int) -> Bool {
        let woken: [UnsafeContinuation<Void, any Error>]? = lock.withLock {
            guard window + bytes <= FlowControl.maxWindow else { return nil }
            window += bytes
            guard window > 0, !waiters.isEmpty else { return [] }
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
        guard let woken else { return false }
        for waiter in woken { waiter.resume() }
        return true
    }

    /// Fails current and future reservations with `error`.
    func fail(_ error: RPCError) {
        let woken: [UnsafeContinuation<Void, any Error>] = lock.withLock {
            if failure == nil { failure = error }
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
        for waiter in woken { waiter.resume(throwing: error) }
    }
}
