import Tracing

/// Makes a client span of every call made through the client, and sends its trace context in
/// the call's metadata (W3C `traceparent` with an OpenTelemetry tracer), so that the server's
/// span (``ServerTracing``) joins the caller's trace.
///
/// The span is named `package.Service/Method`, carries OpenTelemetry's RPC attributes and is an
/// error for any status but OK. For a streaming call it lasts until the caller's body returns.
public struct ClientTracingInterceptor: ClientInterceptor {
    private let tracer: any Tracer

    /// Creates the interceptor; the tracer defaults to the process's (`InstrumentationSystem`).
    public init(tracer: any Tracer = InstrumentationSystem.tracer) {
        self.tracer = tracer
    }

    public func intercept<Result>(
        context: ClientCallContext, next: (ClientCallContext) async throws -> Result
    ) async throws -> Result {
        try await tracer.withSpan(context.descriptor.spanName, ofKind: .client) { span in
            context.descriptor.spanAttributes(&span.attributes)
            var context = context
            tracer.inject(span.context, into: &context.metadata, using: MetadataInjector())
            do {
                let result = try await next(context)
                span.record(.ok)
                return result
            } catch {
                // `withSpan` records the error and marks the span failed.
                span.record(RPCError.code(of: error))
                throw error
            }
        }
    }
}

extension RPCError {
    /// The status a call ends with when `error` ends it.
    static func code(of error: any Error) -> StatusCode {
        switch error {
        case let error as RPCError: error.code
        case is CancellationError: .cancelled
        default: .unknown
        }
    }
}
