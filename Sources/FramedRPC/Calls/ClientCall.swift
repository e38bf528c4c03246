import Synchronization

/// How a transport sends the request side of one client call. Methods may be called from any
/// task; the transport keeps their order and drops anything after the call has ended.
protocol ClientCallOutbound: Sendable {
    /// Sends one request message; the caller has already reserved window for it.
    func sendMessage(_ bytes: [UInt8])
    /// Sends HALF_CLOSE.
    func halfClose()
    /// Sends CANCEL and forgets the call.
    func cancel()
}

/// One call as the client sees it, whatever the transport.
///
/// The transport feeds it with ``receivedHeaders(_:)``, ``receivedMessage(_:)`` and
/// ``receivedStatus(_:)``; the typed client API reads it through ``nextResponse()``.
final class ClientCall: Sendable {
    /// Response messages; ends with the call's status.
    let responses: MessageInbox
    /// The server's receive window for this call.
    let requestWindow: SendWindow

    private struct State {
        var outbound: (any ClientCallOutbound)?
        var finalStatus: CallStatus?
        var halfClosed = false
    }

    private let state = Mutex(State())
    private let initial = OneShot<Metadata>()

    init(responses: MessageInbox, requestWindow: SendWindow = SendWindow()) {
        self.responses = responses
        self.requestWindow = requestWindow
    }

    /// Binds the transport's side; called once, before any message is sent.
    func attach(_ outbound: any ClientCallOutbound) {
        state.withLock { $0.outbound = outbound }
    }

    /// The status the call ended with, or `nil` while it is open.
    var finalStatus: CallStatus? { state.withLock { $0.finalStatus } }

    /// The initial metadata; waits for it.
    func initialMetadata() async throws -> Metadata {
        try await initial.value()
    }

    /// The initial metadata if it has arrived.
    var currentInitialMetadata: Metadata { initial.current ?? [:] }

    /// The next response message, or `nil` once the call ended `OK`; throws its error otherwise.
    nonisolated(nonsending) func nextResponse() async throws -> [UInt8]? {
        try await responses.next()
    }

    /// Sends one request, waiting for flow-control credit. Throws once the call has ended or
    /// after a half-close.
    nonisolated(nonsending) func send(_ bytes: [UInt8]) async throws {
        try await requestWindow.reserve(bytes.count)
        let outbound: any ClientCallOutbound = try state.withLock { state in
            if let status = state.finalStatus {
                throw status.error ?? RPCError(code: .failedPrecondition, message: "the server already ended the call with OK")
            }
            guard !state.halfClosed, let outbound = state.outbound else {
                throw RPCError(code: .failedPrecondition, message: "requests were already finished on this call")
            }
            return outbound
        }
        outbound.sendMessage(bytes)
    }

    /// Tells the server no more requests follow. Idempotent; ignored after the call ended.
    func halfClose() {
        let outbound: (any ClientCallOutbound)? = state.withLock { state in
            guard !state.halfClosed, state.finalStatus == nil else { return nil }
            state.halfClosed = true
            return state.outbound
        }
        outbound?.halfClose()
    }

    /// Ends the call locally with `error` (CANCELLED or DEADLINE_EXCEEDED) and tells the server.
    func cancel(_ error: RPCError) {
        let outbound: (any ClientCallOutbound)? = state.withLock { state in
            guard state.finalStatus == nil else { return nil }
            state.finalStatus = CallStatus(error)
            return state.outbound
        }
        guard let outbound else { return }
        outbound.cancel()
        end(with: error, dropBuffered: true)
    }

    // MARK: - Fed by the transport

    /// The server's HEADERS frame.
    func receivedHeaders(_ metadata: Metadata) {
        initial.succeed(metadata)
    }

    /// A MESSAGE frame.
    func receivedMessage(_ bytes: [UInt8]) {
        initial.succeed([:])
        responses.push(bytes)
    }

    /// The STATUS frame, or a status the transport made up (connection lost: UNAVAILABLE).
    func receivedStatus(_ status: CallStatus) {
        let first = state.withLock { state in
            guard state.finalStatus == nil else { return false }
            state.finalStatus = status
            return true
        }
        guard first else { return }
        if let error = status.error {
            end(with: error, dropBuffered: false)
        } else {
            initial.succeed([:])
            requestWindow.fail(RPCError(code: .failedPrecondition, message: "the server already ended the call with OK"))
            responses.finish()
        }
    }

    private func end(with error: RPCError, dropBuffered: Bool) {
        initial.fail(error)
        requestWindow.fail(error)
        if dropBuffered {
            responses.fail(error)
        } else {
            responses.finish(error: error)
        }
    }
}
