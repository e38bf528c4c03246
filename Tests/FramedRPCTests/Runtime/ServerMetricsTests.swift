import FramedRPCInterop
import FramedRPCTestSupport
import MetricsTestKit
import NIOCore
import Testing

@testable import FramedRPC

/// What a server counts through swift-metrics, read back through MetricsTestKit: calls by method
/// and status code, their durations, open calls and connections, bytes, GOAWAYs and failures.
@Suite("Server metrics")
struct ServerMetricsTests {
    typealias Name = ServerMetrics.Name
    static let emptyCall = "/framedrpc.testing.TestService/EmptyCall"
    static let unaryCall = "/framedrpc.testing.TestService/UnaryCall"

    func finished(_ metrics: TestMetrics, _ method: String, _ code: String) -> Int64 {
        metrics.counterTotal(label: Name.callsFinished, dimensions: [("method", method), ("code", code)])
    }

    @Test("calls are counted by method and status code, with their durations, on either transport", arguments: TestTransport.allCases)
    func calls(transport: TestTransport) async throws {
        let metrics = TestMetrics()
        try await withServer(metricsFactory: metrics, transport: transport) { _, client in
            let service = Framedrpc_Testing_TestService.Client(wrapping: client)
            _ = try await service.emptyCall(Framedrpc_Testing_Empty())
            _ = try await service.emptyCall(Framedrpc_Testing_Empty())
            await expectRPCError(.notFound) {
                try await service.unaryCall(
                    .with {
                        $0.responseStatus = .with {
                            $0.code = 5
                            $0.message = "no"
                        }
                    })
            }
            await expectRPCError(.unimplemented) {
                try await client.unary(
                    MethodDescriptor(service: "framedrpc.testing.Nowhere", method: "Call", kind: .unary),
                    request: Framedrpc_Testing_Empty(), responseType: Framedrpc_Testing_Empty.self)
            }

            #expect(metrics.counterTotal(label: Name.callsStarted, dimensions: [("method", Self.emptyCall)]) == 2)
            #expect(finished(metrics, Self.emptyCall, "OK") == 2)
            #expect(finished(metrics, Self.unaryCall, "NOT_FOUND") == 1)
            #expect(finished(metrics, ServerMetrics.otherMethod, "UNIMPLEMENTED") == 1, "a path not served counts as other")
            #expect(metrics.counters(label: Name.callsFinished).allSatisfy { $0.dimensions.first?.1 != "/framedrpc.testing.Nowhere/Call" })
            let durations = try metrics.expectTimer(Name.callDuration, [("method", Self.emptyCall)]).values
            #expect(durations.count == 2 && durations.allSatisfy { $0 > 0 })
            #expect(try metrics.expectMeter(Name.activeCalls).lastValue == 0)
            if transport == .tls {
                #expect(try metrics.expectMeter(Name.connections).lastValue == 1)
                #expect(metrics.counterTotal(label: Name.bytesReceived) > 0)
                #expect(metrics.counterTotal(label: Name.bytesSent) > 0)
            }
        }
    }

    @Test("broken rules and failed handshakes count as connection errors by code; a drain sends GOAWAY NO_ERROR")
    func connectionErrors() async throws {
        let metrics = TestMetrics()
        try await withServer(metricsFactory: metrics) { server, client in
            _ = try await Framedrpc_Testing_TestService.Client(wrapping: client).emptyCall(Framedrpc_Testing_Empty())

            let garbage = try await RawConnection.connect(port: server.port!, tls: TestCertificates.client())
            try await garbage.send(Array("GET / HTTP/1.1\r\n\r\n".utf8))
            _ = await garbage.collect()
            await garbage.close()

            let oversize = try await RawConnection.connect(port: server.port!, tls: TestCertificates.client())
            try await oversize.sendPreface()
            var header = ByteBuffer()
            header.writeFrameHeader(type: .message, streamID: 1, length: (4 << 20) + 1)
            try await oversize.send(Array(header.readableBytesView))
            _ = await oversize.collect()
            await oversize.close()

            let plaintext = try await RawConnection.connect(port: server.port!, tls: nil)
            try? await plaintext.sendPreface()
            _ = await plaintext.collect()
            await plaintext.close()

            func errors(_ code: String) -> Int64 {
                metrics.counterTotal(label: Name.connectionErrors, dimensions: [("code", code)])
            }
            #expect(errors("BAD_MAGIC") == 1)
            #expect(errors("FRAME_TOO_LARGE") == 1)
            #expect(errors("TRANSPORT") == 1)
            #expect(metrics.counterTotal(label: Name.goAways, dimensions: [("code", "FRAME_TOO_LARGE")]) == 1)

            await server.shutdown(gracePeriod: .seconds(1))
            #expect(metrics.counterTotal(label: Name.goAways, dimensions: [("code", "NO_ERROR")]) == 1)
            #expect(try metrics.expectMeter(Name.connections).lastValue == 0)
        }
    }

    @Test("a handler error that carries no status is logged with the error, and the call ends UNKNOWN")
    func unknownErrorsAreLogged() async throws {
        struct Broken: Error, CustomStringConvertible {
            var description: String { "the disk is on fire" }
        }
        struct Failing: RPCService {
            static let fail = MethodDescriptor(service: "framedrpc.testing.Failing", method: "Fail", kind: .unary)
            func registerMethods(with router: inout RPCRouter) {
                router.registerUnary(Self.fail) { (_: Framedrpc_Testing_Empty, _) -> Framedrpc_Testing_Empty in throw Broken() }
            }
        }
        let (logger, log) = RecordingLogHandler.logger()
        try await withServer(services: [Failing()], logger: logger, transport: .inProcess) { _, client in
            await expectRPCError(.unknown) {
                try await client.unary(Failing.fail, request: Framedrpc_Testing_Empty(), responseType: Framedrpc_Testing_Empty.self)
            }
        }
        let line = try #require(log.lines.first { $0.level == .error })
        #expect(line.metadata["method"] == "/framedrpc.testing.Failing/Fail")
        #expect(line.metadata["error"]?.contains("the disk is on fire") == true)
    }
}
