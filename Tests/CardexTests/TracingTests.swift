import CardexClient
import CardexProto
import FramedRPC
import InMemoryTracing
import Testing
import Tracing

/// `cardex serve` with a tracer: a call's server span joins the trace its metadata carries, and
/// the store's transactions inside it are its children.
@Suite("Tracing")
struct CardexTracingTests {
    @Test("RequestCode's span continues the caller's trace; its store write is a child span")
    func callAndStoreSpans() async throws {
        let tracer = InMemoryTracer()
        try await withCardex(tracer: tracer) { server in
            let client = try server.client()
            var metadata = Metadata()
            // What InMemoryTracer's propagation reads; an OpenTelemetry tracer reads `traceparent`.
            metadata.add(InMemoryTracer.traceIDKey, text: "caller-trace")
            metadata.add(InMemoryTracer.spanIDKey, text: "caller-span")
            _ = try await client.registration.requestCode(
                .with {
                    $0.phone = "+15550008001"
                    $0.purpose = .register
                }, metadata: metadata)
        }
        let spans = tracer.finishedSpans
        let call = try #require(spans.first { $0.operationName == "cardex.v1.RegistrationService/RequestCode" })
        #expect(call.kind == .server)
        #expect(call.traceID == "caller-trace")
        #expect(call.parentSpanID == "caller-span")
        let write = try #require(spans.first { $0.operationName == "store write" && $0.parentSpanID == call.spanID })
        #expect(write.traceID == "caller-trace")
        #expect(write.kind == .client)
        let system = write.attributes["db.system.name"]?.toSpanAttribute()
        #expect(system == "sqlite".toSpanAttribute() || system == "postgresql".toSpanAttribute())
    }
}
