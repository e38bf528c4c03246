import Tracing

/// Makes a server span of every call it wraps (swift-distributed-tracing), as the child of the
/// trace the client's metadata carries (W3C `traceparent` with an OpenTelemetry tracer). Work the
/// handler does under it (a database transaction, another call) makes its spans children of
/// this one through the task's `ServiceContext`.
///
/// Put it first among the interceptors, so that its span covers the others and sees the status
/// they end the call with. The span is named `package.Service/Method`, carries OpenTelemetry's
/// RPC attributes (`rpc.system` `framedrpc`, `rpc.service`, `rpc.method`,
/// `rpc.framedrpc.status_code`) and is an error for the codes that mean the server failed
/// (UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS), as
/// OpenTelemetry's gRPC conventions say; a client's mistake is not the server's error.
public struct ServerTracingInterceptor: ServerInterceptor {
    private let tracer: any Tracer

    /// Creates the interceptor; the tracer defaults to the process's (`InstrumentationSystem`).
    public init(tracer: any Tracer = InstrumentationSystem.tracer) {
        self.tracer = tracer
    }

    /// The codes that make a server span an error.
    static let serverFailures: Set<StatusCode> = [.unknown, .deadlineExceeded, .unimplemented, .internal, .unavailable, .dataLoss]

    public func intercept(context: ServerContext, next: (ServerContext) async throws -> Void) async throws {
        var serviceContext = ServiceContext.current ?? .topLevel
        tracer.extract(context.requestMetadata, into: &serviceContext, using: MetadataExtractor())
        // Not `withSpan`: it marks the span failed for any error, a client's mistake included.
        let span = tracer.startSpan(context.descriptor.spanName, context: serviceContext, ofKind: .server)
        defer { span.end() }
        context.descriptor.spanAttributes(&span.attributes)
        do {
            try await ServiceContext.$current.withValue(span.context) { try await next(context) }
            span.record(.ok, failed: false, error: nil)
        } catch {
            let code = RPCError.code(of: error)
            span.record(code, failed: Self.serverFailures.contains(code), error: error)
            throw error
        }
    }
}

extension RPCError {
    /// The status a call ends with when its handler throws `error`.
    static func code(of error: any Error) -> StatusCode {
        switch error {
        case let error as RPCError: error.code
        case is CancellationError: .cancelled
        default: .unknown
        }
    }
}
