import FramedRPC
import FramedRPCInterop
import FramedRPCTestSupport
import InMemoryTracing
import Testing
import Tracing

/// Client and server spans through swift-distributed-tracing's in-memory tracer: the server's
/// span joins the client's trace through the call's metadata, work inside a handler is a child
/// of the server's span, and statuses mark spans as OpenTelemetry's RPC conventions say.
@Suite("Tracing")
struct TracingTests {
    static let unaryCall = "framedrpc.testing.TestService/UnaryCall"

    /// A unary handler that does its work in a span of its own, as a store transaction does.
    struct Nested: RPCService {
        static let work = MethodDescriptor(service: "framedrpc.testing.Nested", method: "Work", kind: .unary)
        let tracer: any Tracer
        func registerMethods(with router: inout RPCRouter) {
            router.registerUnary(Self.work) { [tracer] (_: Framedrpc_Testing_Empty, _) -> Framedrpc_Testing_Empty in
                tracer.withSpan("storage") { _ in Framedrpc_Testing_Empty() }
            }
        }
    }

    @Test("the server's span continues the client's trace; a handler's own span is the server span's child", arguments: TestTransport.allCases)
    func spansCrossTheCall(transport: TestTransport) async throws {
        let tracer = InMemoryTracer()
        try await withServer(
            services: [TestServiceImplementation(), Nested(tracer: tracer)],
            clientInterceptors: [ClientTracingInterceptor(tracer: tracer)],
            tracing: ServerTracing(tracer: tracer),
            transport: transport
        ) { _, client in
            _ = try await Framedrpc_Testing_TestService.Client(wrapping: client).unaryCall(.with { $0.responseSize = 1 })
            _ = try await client.unary(Nested.work, request: Framedrpc_Testing_Empty(), responseType: Framedrpc_Testing_Empty.self)
        }
        let spans = tracer.finishedSpans
        let clientSpan = try #require(spans.first { $0.kind == .client && $0.operationName == Self.unaryCall })
        let serverSpan = try #require(spans.first { $0.kind == .server && $0.operationName == Self.unaryCall })
        #expect(serverSpan.traceID == clientSpan.traceID)
        #expect(serverSpan.parentSpanID == clientSpan.spanID)
        #expect(serverSpan.attributes["rpc.system"]?.toSpanAttribute() == "framedrpc")
        #expect(serverSpan.attributes["rpc.service"]?.toSpanAttribute() == "framedrpc.testing.TestService")
        #expect(serverSpan.attributes["rpc.method"]?.toSpanAttribute() == "UnaryCall")
        #expect(serverSpan.attributes["rpc.framedrpc.status_code"]?.toSpanAttribute() == 0)
        #expect(serverSpan.status == nil && clientSpan.status == nil)

        let workServer = try #require(spans.first { $0.kind == .server && $0.operationName == "framedrpc.testing.Nested/Work" })
        let storage = try #require(spans.first { $0.operationName == "storage" })
        #expect(storage.traceID == workServer.traceID)
        #expect(storage.parentSpanID == workServer.spanID)
    }

    @Test("of the calls without a trace context, one in 1 / ratio is traced; every call with one is")
    func rootSampling() async throws {
        let tracer = InMemoryTracer()
        try await withServer(
            tracing: ServerTracing(tracer: tracer, rootSampleRatio: 0.25), transport: .inProcess
        ) { server, client in
            let service = Framedrpc_Testing_TestService.Client(wrapping: client)
            for _ in 0..<8 { _ = try await service.emptyCall(Framedrpc_Testing_Empty()) }
            let traced = RPCClient(inProcess: server, interceptors: [ClientTracingInterceptor(tracer: tracer)])
            for _ in 0..<3 { _ = try await Framedrpc_Testing_TestService.Client(wrapping: traced).emptyCall(Framedrpc_Testing_Empty()) }
            await traced.close()
        }
        let server = tracer.finishedSpans.filter { $0.kind == .server }
        #expect(server.filter { $0.parentSpanID == nil }.count == 2, "2 of 8 root calls")
        #expect(server.filter { $0.parentSpanID != nil }.count == 3, "every call that carried a context")
    }

    @Test("a client's mistake fails the client span only; a server failure fails both")
    func statuses() async throws {
        let tracer = InMemoryTracer()
        try await withServer(
            clientInterceptors: [ClientTracingInterceptor(tracer: tracer)], tracing: ServerTracing(tracer: tracer)
        ) { _, client in
            let service = Framedrpc_Testing_TestService.Client(wrapping: client)
            await expectRPCError(.notFound) { try await service.unaryCall(.with { $0.responseStatus = .with { $0.code = 5 } }) }
            await expectRPCError(.internal) { try await service.unaryCall(.with { $0.responseStatus = .with { $0.code = 13 } }) }
        }
        let spans = tracer.finishedSpans.filter { $0.operationName == Self.unaryCall }
        func span(_ kind: SpanKind, _ code: Int) throws -> FinishedInMemorySpan {
            try #require(spans.first { $0.kind == kind && $0.attributes["rpc.framedrpc.status_code"]?.toSpanAttribute() == code.toSpanAttribute() })
        }
        #expect(try span(.server, 5).status == nil)
        #expect(try span(.client, 5).status?.code == .error)
        #expect(try span(.server, 13).status?.code == .error)
        #expect(try span(.client, 13).status?.code == .error)
    }
}
