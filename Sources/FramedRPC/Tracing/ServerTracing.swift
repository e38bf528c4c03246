import Synchronization
import Tracing

/// How a server traces its calls (swift-distributed-tracing), given to
/// ``RPCServer/init(services:interceptors:configuration:metricsFactory:tracing:logger:eventLoopGroup:)``.
///
/// A traced call gets a server span, the child of the trace its metadata carries (W3C
/// `traceparent` with an OpenTelemetry tracer). The span covers the interceptors and the handler
/// and sees the status the call ends with; work done under it (a database transaction, another
/// call) makes its spans children of it through the task's `ServiceContext`. It is named
/// `package.Service/Method`, carries OpenTelemetry's RPC attributes (`rpc.system` `framedrpc`,
/// `rpc.service`, `rpc.method`, `rpc.framedrpc.status_code`) and is an error for the codes that
/// mean the server failed (UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE,
/// DATA_LOSS), as OpenTelemetry's gRPC conventions say: a client's mistake is not the server's.
///
/// A call that carries a trace context always goes to the tracer (whose sampler follows the
/// caller). Of the calls that carry none, one in `1 / rootSampleRatio` starts a trace; the others
/// run exactly as without tracing, for the price of a counter's increment: a tracer pays for a
/// span it then drops (swift-otel draws its random ids from the kernel), so the decision is
/// taken before it is asked.
public final class ServerTracing: Sendable {
    let tracer: any Tracer
    /// Trace one root call in this many; `.max`: none.
    private let rootSamplingPeriod: UInt64
    private let rootCalls = Atomic<UInt64>(0)

    /// Traces with `tracer` (by default the process's, `InstrumentationSystem`); `rootSampleRatio`
    /// (0 to 1) is the share of calls without a trace context that start a trace.
    public init(tracer: any Tracer = InstrumentationSystem.tracer, rootSampleRatio: Double = 1) {
        self.tracer = tracer
        rootSamplingPeriod = rootSampleRatio > 0 ? UInt64((1 / min(rootSampleRatio, 1)).rounded()) : .max
    }

    /// The codes that make a server span an error.
    static let serverFailures: Set<StatusCode> = [.unknown, .deadlineExceeded, .unimplemented, .internal, .unavailable, .dataLoss]

    /// The span of a call to `descriptor` with `metadata`, or nil for a call not traced.
    func span(for descriptor: MethodDescriptor, metadata: Metadata) -> (any Span)? {
        var context = ServiceContext.topLevel
        if !metadata.isEmpty {
            tracer.extract(metadata, into: &context, using: MetadataExtractor())
        }
        guard !context.isEmpty || startsRootTrace() else { return nil }
        let span = tracer.startSpan(descriptor.spanName, context: context, ofKind: .server)
        descriptor.spanAttributes(&span.attributes)
        return span
    }

    /// Records how the call ended on its span and ends it.
    func end(_ span: any Span, _ status: CallStatus, error: (any Error)?) {
        span.record(status.code)
        if let error { span.recordError(error) }
        if Self.serverFailures.contains(status.code) { span.setStatus(SpanStatus(code: .error, message: status.code.description)) }
        span.end()
    }

    private func startsRootTrace() -> Bool {
        switch rootSamplingPeriod {
        case .max: false
        case 1: true
        default: rootCalls.add(1, ordering: .relaxed).oldValue % rootSamplingPeriod == 0
        }
    }
}
