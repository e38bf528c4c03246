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
        do {
            if interceptors.isEmpty {
                try await method.run(call, context)  // no closure, no executor hop
            } else {
                try await Self.intercept(context, interceptors[...]) { context in
                    try await method.run(call, context)
                }
            }
            call.finish(.ok())
        } catch let error as RPCError {
            call.finish(CallStatus(error))
        } catch is CancellationError {
            call.finish(CallStatus(code: .cancelled, message: "the handler was cancelled"))
        } catch {
            logger.error(
                "a handler failed with an error that carries no status; the call ends UNKNOWN",
                metadata: ["method": "\(call.path)", "error": "\(String(reflecting: error))"])
            call.finish(CallStatus(code: .unknown, message: "the handler failed with an error that carries no status"))
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
