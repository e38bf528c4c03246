import NIOCore
import Synchronization

/// The unary response a transport hands back: the message still serialized, and the metadata.
struct UnaryResponse: Sendable {
    var message: [UInt8]
    var initialMetadata: Metadata
    var trailingMetadata: Metadata
}

/// A unary call on a TCP connection, as one object: what the caller waits on, and what the
/// connection handler knows of the call.
///
/// The handler completes it once, from the event loop, with the response or the call's
/// error; the caller's cancellation may complete it first from any thread. Unlike
/// ``ClientCall`` it has no response queue, no initial-metadata waiters and no request window to
/// wait on: a unary call's one request goes with its HEADERS, and its caller needs the answer only
/// once the STATUS is in.
final class UnaryClientCall: @unchecked Sendable {
    // Completion state, guarded by `lock`.
    private let lock = InlineLock()
    private var continuation: UnsafeContinuation<UnaryResponse, any Error>?
    private var result: Result<UnaryResponse, RPCError>?

    // Event-loop confined: set and read only by the connection handler.
    var streamID: UInt32 = 0
    /// What the server may still send before it must wait for credit.
    var receiveWindow = ReceiveWindow()
    /// The server's receive window for the request (only checked: nothing more is sent).
    var requestWindow: Int
    var deadlineTimer: Scheduled<Void>?
    var message: [UInt8]?
    var initialMetadata: Metadata?

    init(requestSize: Int) {
        requestWindow = FlowControl.initialWindow - requestSize
    }

    /// Ends the call with `result` unless it has ended; returns whether this call ended it.
    @discardableResult
    func complete(_ result: Result<UnaryResponse, RPCError>) -> Bool {
        let (first, waiter): (Bool, UnsafeContinuation<UnaryResponse, any Error>?) = lock.withLock {
            guard self.result == nil else { return (false, nil) }
            self.result = result
            defer { continuation = nil }
            return (true, continuation)
        }
        waiter?.resume(with: result)
        return first
    }

    /// Waits for the response; throws the call's error.
    nonisolated(nonsending) func response() async throws -> UnaryResponse {
        try await withUnsafeThrowingContinuation { continuation in
            let ready: Result<UnaryResponse, RPCError>? = lock.withLock {
                if let result { return result }
                self.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
