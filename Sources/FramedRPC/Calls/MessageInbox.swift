import NIOCore
import Synchronization

/// The receive side of one direction of one call: a single-consumer queue of serialized
/// messages that ends normally or with an error.
///
/// The producer (a transport) never blocks: the peer's flow-control window bounds what it can
/// push. As the consumer takes messages, the inbox hands the consumed byte counts back through
/// `returnCredit` in batches of at least `creditThreshold` bytes, for the transport to turn into
/// WINDOW_UPDATE frames (or, in process, straight into the peer's ``SendWindow``).
final class MessageInbox: @unchecked Sendable {
    // All mutable state is guarded by `lock`.
    private let lock = InlineLock()
    private var buffer = Buffer()
    private var end: Result<Void, RPCError>?
    private var waiter: UnsafeContinuation<[UInt8]?, any Error>?
    private var consumerCancelled = false
    private var uncreditedBytes = 0

    private let creditThreshold: Int
    private let returnCredit: (@Sendable (Int) -> Void)?

    /// - Parameters:
    ///   - creditThreshold: consumed bytes to gather before calling `returnCredit`.
    ///   - returnCredit: called (outside any lock) with consumed byte counts.
    init(creditThreshold: Int = FlowControl.creditThreshold, returnCredit: (@Sendable (Int) -> Void)? = nil) {
        self.creditThreshold = creditThreshold
        self.returnCredit = returnCredit
    }

    /// Adds a message. Ignored once the inbox has ended.
    func push(_ message: [UInt8]) {
        let resumed: UnsafeContinuation<[UInt8]?, any Error>? = lock.withLock {
            guard end == nil else { return nil }
            if let waiter {
                self.waiter = nil
                return waiter
            }
            buffer.append(message)
            return nil
        }
        if let resumed {
            creditConsumed(message.count)
            resumed.resume(returning: message)
        }
    }

    /// Ends the stream after the buffered messages: `next()` returns them, then `nil` (for
    /// `nil` error) or throws `error`. Only the first end counts.
    func finish(error: RPCError? = nil) {
        let resumed: (UnsafeContinuation<[UInt8]?, any Error>, Result<Void, RPCError>)? = lock.withLock {
            guard end == nil else { return nil }
            let result: Result<Void, RPCError> = error.map { .failure($0) } ?? .success(())
            end = result
            guard let waiter else { return nil }
            self.waiter = nil
            return (waiter, result)
        }
        if let (continuation, result) = resumed {
            Self.resume(continuation, with: result)
        }
    }

    /// Ends the stream at once, dropping buffered messages: `next()` throws `error`.
    func fail(_ error: RPCError) {
        let resumed: UnsafeContinuation<[UInt8]?, any Error>? = lock.withLock {
            buffer.removeAll()
            if case .failure = end {} else { end = .failure(error) }
            defer { waiter = nil }
            return waiter
        }
        resumed?.resume(throwing: error)
    }

    /// The next message, `nil` at a normal end; throws the end's error, or `CANCELLED` when the
    /// consuming task is cancelled while it waits.
    nonisolated(nonsending) func next() async throws -> [UInt8]? {
        if let ready = try takeReady() {
            return ready.message
        }
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                let ready: Result<[UInt8]?, any Error>? = lock.withLock {
                    do {
                        if let ready = try takeReadyLocked() { return .success(ready.message) }
                    } catch {
                        return .failure(error)
                    }
                    if consumerCancelled {
                        return .failure(RPCError(code: .cancelled, message: "the call was cancelled"))
                    }
                    waiter = continuation
                    return nil
                }
                if let ready {
                    if case .success(let message?) = ready { creditConsumed(message.count) }
                    continuation.resume(with: ready)
                }
            }
        } onCancel: {
            let resumed: UnsafeContinuation<[UInt8]?, any Error>? = lock.withLock {
                consumerCancelled = true
                defer { waiter = nil }
                return waiter
            }
            resumed?.resume(throwing: RPCError(code: .cancelled, message: "the call was cancelled"))
        }
    }

    /// Buffered messages, oldest first. Most calls buffer at most one message at a time, which
    /// needs no allocation.
    private struct Buffer {
        private var first: [UInt8]?
        /// Messages after `first`; empty while `first` is `nil`.
        private var rest: CircularBuffer<[UInt8]>?

        mutating func append(_ message: [UInt8]) {
            if first == nil {
                first = message
            } else {
                if rest == nil { rest = CircularBuffer(initialCapacity: 4) }
                rest!.append(message)
            }
        }

        mutating func popFirst() -> [UInt8]? {
            guard let message = first else { return nil }
            first = rest?.popFirst()
            return message
        }

        mutating func removeAll() {
            first = nil
            rest = nil
        }
    }

    private struct Ready {
        var message: [UInt8]?
    }

    private func takeReady() throws -> Ready? {
        let ready = try lock.withLock { try takeReadyLocked() }
        if let count = ready?.message?.count { creditConsumed(count) }
        return ready
    }

    /// Must hold `lock`.
    private func takeReadyLocked() throws -> Ready? {
        if let message = buffer.popFirst() { return Ready(message: message) }
        switch end {
        case .none: return nil
        case .success: return Ready(message: nil)
        case .failure(let error): throw error
        }
    }

    private func creditConsumed(_ bytes: Int) {
        guard let returnCredit, bytes > 0 else { return }
        let credit: Int? = lock.withLock {
            uncreditedBytes += bytes
            guard uncreditedBytes >= creditThreshold else { return nil }
            defer { uncreditedBytes = 0 }
            return uncreditedBytes
        }
        if let credit { returnCredit(credit) }
    }

    private static func resume(_ continuation: UnsafeContinuation<[UInt8]?, any Error>, with result: Result<Void, RPCError>) {
        switch result {
        case .success: continuation.resume(returning: nil)
        case .failure(let error): continuation.resume(throwing: error)
        }
    }
}
