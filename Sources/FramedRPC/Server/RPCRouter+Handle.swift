import Tracing

extension RPCRouter {
    /// Runs one call to completion: finds the method, runs the interceptors and the handler,
    /// and ends the call with the resulting status. Never throws.
    nonisolated(nonsending) func handle(_ call: ServerCall, interceptors: [any ServerInterceptor]) async {
        await handle(call, method: methods[call.path], interceptors: interceptors)
    }

    /// ``handle(_:interceptors:)`` with the method already looked up (`nil`: not registered).
    nonisolated(nonsending) func handle(_ call: ServerCall, method: Method?, interceptors: [any ServerInterceptor]) async {
        guard let method else {
            call.finish(CallStatus(code: .unimplemented, message: unimplementedMessage(for: call.path)))
            return
        }
        let context = ServerContext(
            descriptor: method.descriptor,
            requestMetadata: call.metadata,
            deadline: call.deadline,
            peer: call.peer,
            response: call.response
        )
        guard let tracing, let span = tracing.span(for: method.descriptor, metadata: call.metadata) else {
            call.finish(await run(method, call, context, interceptors).status)
            return
        }
        let (status, error) = await ServiceContext.$current.withValue(span.context) {
            await run(method, call, context, interceptors)
        }
        call.finish(status)
        tracing.end(span, status, error: error)
    }

    /// Runs the interceptors and the handler; returns the status the call ends with, and the
    /// error that made it, if any.
    private nonisolated(nonsending) func run(
        _ method: Method, _ call: ServerCall, _ context: ServerContext, _ interceptors: [any ServerInterceptor]
    ) async -> (status: CallStatus, error: (any Error)?) {
        do {
            if interceptors.isEmpty {
                try await method.run(call, context)  // no closure, no executor hop
            } else {
                try await Self.intercept(context, interceptors[...]) { context in
                    try await method.run(call, context)
                }
            }
            return (.ok(), nil)
        } catch let error as RPCError {
            return (CallStatus(error), error)
        } catch is CancellationError {
            return (CallStatus(code: .cancelled, message: "the handler was cancelled"), CancellationError())
        } catch {
            logger.error(
                "a handler failed with an error that carries no status; the call ends UNKNOWN",
                metadata: ["method": "\(call.path)", "error": "\(String(reflecting: error))"])
            return (CallStatus(code: .unknown, message: "the handler failed with an error that carries no status"), error)
        }
    }

    private func unimplementedMessage(for path: String) -> String {
        let service = path.split(separator: "/").first.map(String.init) ?? path
        if services.contains(service) {
            return "method \(path) is not implemented by this server"
        }
        return "service \(service) is not implemented by this server"
    }

    private static func intercept(
        _ context: ServerContext,
        _ remaining: ArraySlice<any ServerInterceptor>,
        handler: (ServerContext) async throws -> Void
    ) async throws {
        guard let first = remaining.first else { return try await handler(context) }
        try await first.intercept(context: context) { context in
            try await intercept(context, remaining.dropFirst(), handler: handler)
        }
    }
}
