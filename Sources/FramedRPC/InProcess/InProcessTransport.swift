import NIOConcurrencyHelpers

/// Connects an ``RPCClient`` straight to an ``RPCServer``'s router: no sockets, no framing,
/// but the same calls, handlers, interceptors, deadlines, cancellation and flow-control windows.
final class InProcessTransport: ClientTransport {
    private let server: RPCServer
    private let closed = NIOLockedValueBox(false)

    init(server: RPCServer) {
        self.server = server
    }

    func open(_ head: CallHead, firstMessage: [UInt8]?, halfClose: Bool) async throws -> ClientCall {
        guard !closed.withLockedValue({ $0 }) else {
            throw RPCError(code: .unavailable, message: "the client has been closed")
        }
        let requestWindow = SendWindow()
        let responseWindow = SendWindow()
        let tasks = InProcessCallTasks()
        let clientCall = ClientCall(
            responses: MessageInbox { credit in responseWindow.grant(credit) },
            requestWindow: requestWindow
        )
        let serverCall = ServerCall(
            path: head.path,
            metadata: head.metadata,
            deadline: head.timeout.map { ContinuousClock.now + $0 },
            peer: "in-process",
            requests: MessageInbox { credit in requestWindow.grant(credit) },
            responseWindow: responseWindow,
            outbound: ServerSide(client: clientCall, tasks: tasks),
            metrics: server.metrics.map { $0.callStarted($0.method(head.path)) }
        )
        clientCall.attach(ClientSide(server: serverCall, tasks: tasks))
        if let firstMessage {
            _ = requestWindow.reserveWithoutWaiting(firstMessage.count)
            serverCall.requests.push(firstMessage)
        }
        if halfClose { serverCall.requests.finish() }

        let router = server.router
        let interceptors = server.interceptors
        tasks.start(
            handler: Task {
                await router.handle(serverCall, interceptors: interceptors)
            })
        if let timeout = head.timeout {
            tasks.start(
                deadline: Task {
                    try await Task.sleep(for: timeout)
                    let error = RPCError(code: .deadlineExceeded, message: "the call's deadline of \(timeout) passed")
                    serverCall.finish(CallStatus(error))
                    tasks.cancelHandler()
                })
        }
        return clientCall
    }

    func connectionExecutor() async throws -> (any TaskExecutor)? {
        nil
    }

    func close() async {
        closed.withLockedValue { $0 = true }
    }

    /// The server's responses go straight into the client call.
    private struct ServerSide: ServerCallOutbound {
        let client: ClientCall
        let tasks: InProcessCallTasks

        func sendHeaders(_ metadata: Metadata) {
            client.receivedHeaders(metadata)
        }

        func sendMessage(_ bytes: [UInt8]) {
            client.receivedMessage(bytes)
        }

        func sendStatus(_ status: CallStatus) {
            tasks.cancelDeadline()
            client.receivedStatus(status)
        }
    }

    /// The client's requests go straight into the server call.
    private struct ClientSide: ClientCallOutbound {
        let server: ServerCall
        let tasks: InProcessCallTasks

        func sendMessage(_ bytes: [UInt8]) {
            server.requests.push(bytes)
        }

        func halfClose() {
            server.requests.finish()
        }

        func cancel() {
            let cancelled = RPCError(code: .cancelled, message: "the client cancelled the call")
            server.requests.fail(cancelled)
            server.responseWindow.fail(cancelled)
            tasks.cancelDeadline()
            tasks.cancelHandler()
        }
    }
}

/// The handler and deadline tasks of one in-process call.
final class InProcessCallTasks: Sendable {
    private struct Tasks {
        var handler: Task<Void, Never>?
        var deadline: Task<Void, any Error>?
    }

    private let tasks = NIOLockedValueBox(Tasks())

    func start(handler: Task<Void, Never>) {
        tasks.withLockedValue { $0.handler = handler }
    }

    func start(deadline: Task<Void, any Error>) {
        tasks.withLockedValue { $0.deadline = deadline }
    }

    func cancelHandler() {
        tasks.withLockedValue { $0.handler }?.cancel()
    }

    func cancelDeadline() {
        tasks.withLockedValue { $0.deadline }?.cancel()
    }
}

extension RPCClient {
    /// A client that calls `server`'s services in this process, without sockets. The server
    /// need not listen. Interceptors of both sides run as over the network.
    public convenience init(inProcess server: RPCServer, interceptors: [any ClientInterceptor] = []) {
        self.init(transport: InProcessTransport(server: server), interceptors: interceptors)
    }
}
