import SwiftProtobuf
import Synchronization

/// How a transport sends the response side of one server call. Every method may be called from
/// any task; the transport keeps frame order per call and drops anything after the status.
protocol ServerCallOutbound: Sendable {
    /// Sends the response's initial metadata (a HEADERS frame).
    func sendHeaders(_ metadata: Metadata)
    /// Sends one response message; the caller has already reserved window for it.
    func sendMessage(_ bytes: [UInt8])
    /// Sends the final status; called exactly once per call.
    func sendStatus(_ status: CallStatus)
}

/// What a connection hands a call's task: where the call goes.
struct ServerCallDispatch: Sendable {
    let router: RPCRouter
    let method: RPCRouter.Method?
    let interceptors: [any ServerInterceptor]
}

/// One call as the server's router sees it, whatever the transport: the request head, the
/// request messages, and the way back.
final class ServerCall: ResponseMetadata, @unchecked Sendable {
    let path: String
    let metadata: Metadata
    let deadline: ContinuousClock.Instant?
    let peer: String
    /// Request messages; ends when the client half-closes.
    let requests: MessageInbox
    /// The client's receive window for this call.
    let responseWindow: SendWindow
    /// Initial and trailing metadata set by the handler: this call itself.
    var response: ResponseMetadata { self }
    /// How the connection runs the call, when it was set up by one.
    let dispatch: ServerCallDispatch?
    /// What counts the call's end, when the server keeps metrics.
    private let metrics: ServerMetrics.Call?

    private let outbound: any ServerCallOutbound
    private let finished = Mutex(false)

    init(
        path: String,
        metadata: Metadata,
        deadline: ContinuousClock.Instant?,
        peer: String,
        requests: MessageInbox,
        responseWindow: SendWindow,
        outbound: any ServerCallOutbound,
        dispatch: ServerCallDispatch? = nil,
        metrics: ServerMetrics.Call? = nil
    ) {
        self.path = path
        self.metadata = metadata
        self.deadline = deadline
        self.peer = peer
        self.requests = requests
        self.responseWindow = responseWindow
        self.outbound = outbound
        self.dispatch = dispatch
        self.metrics = metrics
    }

    /// Runs the call through its ``dispatch`` (the router, the method, the interceptors).
    /// A task's closure that captures only the call needs no allocation of its own.
    nonisolated(nonsending) func run() async {
        guard let dispatch else { return }
        await dispatch.router.handle(self, method: dispatch.method, interceptors: dispatch.interceptors)
    }

    /// Whether the status has been sent.
    var isFinished: Bool { finished.withLock { $0 } }

    /// Reads the one request of a unary or server-streaming call.
    /// Throws `INVALID_ARGUMENT` when the client sent no message or more than one.
    nonisolated(nonsending) func singleRequest<Request: SwiftProtobuf.Message>() async throws -> Request {
        guard let bytes = try await requests.next() else {
            throw RPCError(code: .invalidArgument, message: "the client half-closed without sending the request message")
        }
        guard try await requests.next() == nil else {
            throw RPCError(code: .invalidArgument, message: "the client sent more than one request message on a call that takes one")
        }
        return try Request(decodingRequest: bytes)
    }

    /// Sends one response, waiting for flow-control credit first.
    /// Throws once the call has ended.
    nonisolated(nonsending) func send<Response: SwiftProtobuf.Message>(_ message: Response) async throws {
        let bytes: [UInt8]
        do {
            bytes = try message.serializedBytes()
        } catch {
            throw RPCError(code: .internal, message: "could not serialize \(Response.protoMessageName): \(error)")
        }
        try await responseWindow.reserve(bytes.count)
        guard !isFinished else {
            throw RPCError(code: .cancelled, message: "the call has already ended")
        }
        sendInitialMetadataIfNeeded()
        outbound.sendMessage(bytes)
    }

    /// Ends the call with `status` unless it has ended already; returns whether this call ended it.
    @discardableResult
    func finish(_ status: CallStatus) -> Bool {
        let first = finished.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return false }
        sendInitialMetadataIfNeeded()
        var status = status
        status.trailingMetadata.add(contentsOf: takeTrailing())
        // Counted first: whoever has the status (an in-process client at once) sees it counted.
        metrics?.finished(status.code)
        outbound.sendStatus(status)
        let error = RPCError(code: .cancelled, message: "the call has ended")
        responseWindow.fail(error)
        requests.fail(error)
        return true
    }

    private func sendInitialMetadataIfNeeded() {
        if let initial = takeInitialForSending(), !initial.isEmpty {
            outbound.sendHeaders(initial)
        }
    }
}
