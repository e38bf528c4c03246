import SwiftProtobuf

/// A client for FramedRPC services: generated `Client` structs wrap one.
///
/// One `RPCClient` multiplexes any number of concurrent calls over one connection (connected
/// on first use, reconnected after the server closes it), or talks to an ``RPCServer`` in the
/// same process without sockets. Every call ends with a response or throws ``RPCError``;
/// cancelling the calling task cancels the call (`CANCELLED`), and ``CallOptions/timeout``
/// bounds it (`DEADLINE_EXCEEDED`). Safe to share between tasks.
public final class RPCClient: Sendable {
    let transport: any ClientTransport
    private let interceptors: [any ClientInterceptor]

    init(transport: any ClientTransport, interceptors: [any ClientInterceptor]) {
        self.transport = transport
        self.interceptors = interceptors
    }

    /// Closes the connection. Calls still open end with `UNAVAILABLE`; later calls fail.
    public func close() async {
        await transport.close()
    }

    /// An executor that runs tasks on the thread serving this client's connection, connecting
    /// first if needed; `nil` for the in-process transport.
    ///
    /// Tasks that make many calls run cheapest there: issuing a call and resuming on its
    /// response then never cross threads (`Task(executorPreference:)`,
    /// `withTaskExecutorPreference`). Such tasks must not block. The executor stays valid
    /// after a reconnect, but the new connection may run on another thread.
    public func connectionExecutor() async throws -> (any TaskExecutor)? {
        try await transport.connectionExecutor()
    }

    /// Makes a unary call.
    public func unary<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: MethodDescriptor,
        request: Request,
        responseType: Response.Type = Response.self,
        metadata: Metadata = [:],
        options: CallOptions = .defaults
    ) async throws -> ClientResponse<Response> {
        let bytes = try Self.serialize(request)
        let context = ClientCallContext(descriptor: method, metadata: metadata, options: options)
        if interceptors.isEmpty {
            return try await unaryCall(context, request: bytes)  // no closure, no executor hop
        }
        return try await intercept(context, interceptors[...]) { context in
            try await unaryCall(context, request: bytes)
        }
    }

    private nonisolated(nonsending) func unaryCall<Response: SwiftProtobuf.Message>(
        _ context: ClientCallContext,
        request: [UInt8]
    ) async throws -> ClientResponse<Response> {
        try context.metadata.validate()
        let head = CallHead(path: context.descriptor.path, metadata: context.metadata, timeout: context.options.timeout)
        return try ClientResponse(decoding: await transport.unary(head, request: request))
    }

    /// Makes a server-streaming call: `onResponse` reads the responses; the call is cancelled
    /// if it returns before they end.
    public func serverStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message, Result>(
        _ method: MethodDescriptor,
        request: Request,
        responseType: Response.Type = Response.self,
        metadata: Metadata = [:],
        options: CallOptions = .defaults,
        onResponse: (ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        let bytes = try Self.serialize(request)
        return try await run(method, metadata, options, firstMessage: bytes, halfClose: true) { call in
            try await onResponse(ResponseStream(call: call))
        }
    }

    /// Makes a client-streaming call: `requestProducer` writes the requests; the call
    /// half-closes when it returns.
    public func clientStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: MethodDescriptor,
        requestType: Request.Type = Request.self,
        responseType: Response.Type = Response.self,
        metadata: Metadata = [:],
        options: CallOptions = .defaults,
        requestProducer: (RequestWriter<Request>) async throws -> Void
    ) async throws -> ClientResponse<Response> {
        try await run(method, metadata, options, firstMessage: nil, halfClose: false) { call in
            try await requestProducer(Self.writer(for: call))
            call.halfClose()
            return try ClientResponse(decoding: await call.onlyResponse())
        }
    }

    /// Makes a bidirectional-streaming call. `body` writes requests (and must call
    /// ``RequestWriter/finish()`` when done) and reads responses; the call is cancelled if
    /// `body` returns before the responses end.
    public func bidirectionalStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message, Result>(
        _ method: MethodDescriptor,
        requestType: Request.Type = Request.self,
        responseType: Response.Type = Response.self,
        metadata: Metadata = [:],
        options: CallOptions = .defaults,
        body: (RequestWriter<Request>, ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        try await run(method, metadata, options, firstMessage: nil, halfClose: false) { call in
            try await body(Self.writer(for: call), ResponseStream(call: call))
        }
    }

    // MARK: - Running a call

    /// Runs the interceptors, opens the call, runs `body` on it, and makes sure the call is over
    /// when this returns: cancelled if `body` left it open or the task was cancelled.
    private func run<Result>(
        _ method: MethodDescriptor,
        _ metadata: Metadata,
        _ options: CallOptions,
        firstMessage: [UInt8]?,
        halfClose: Bool,
        body: (ClientCall) async throws -> Result
    ) async throws -> Result {
        let context = ClientCallContext(descriptor: method, metadata: metadata, options: options)
        return try await intercept(context, interceptors[...]) { context in
            try context.metadata.validate()
            let head = CallHead(path: method.path, metadata: context.metadata, timeout: context.options.timeout)
            return try await transport.open(head, firstMessage: firstMessage, halfClose: halfClose).run(body)
        }
    }

    private func intercept<Result>(
        _ context: ClientCallContext,
        _ remaining: ArraySlice<any ClientInterceptor>,
        call: (ClientCallContext) async throws -> Result
    ) async throws -> Result {
        guard let first = remaining.first else { return try await call(context) }
        return try await first.intercept(context: context) { context in
            try await intercept(context, remaining.dropFirst(), call: call)
        }
    }

    private static func writer<Request: SwiftProtobuf.Message>(for call: ClientCall) -> RequestWriter<Request> {
        RequestWriter(
            writer: RPCWriter { message in try await call.send(serialize(message)) },
            close: { call.halfClose() }
        )
    }

    private static func serialize<M: SwiftProtobuf.Message>(_ message: M) throws -> [UInt8] {
        do {
            return try message.serializedBytes()
        } catch {
            throw RPCError(code: .internal, message: "could not serialize \(M.protoMessageName): \(error)")
        }
    }
}

extension ClientResponse where Message: SwiftProtobuf.Message {
    /// The typed response of a unary or client-streaming call.
    fileprivate init(decoding response: UnaryResponse) throws(RPCError) {
        self.init(
            message: try Message(decodingResponse: response.message),
            initialMetadata: response.initialMetadata,
            trailingMetadata: response.trailingMetadata)
    }
}
