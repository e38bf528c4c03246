import CardexServer
import FramedRPC
import FramedRPCHealth
import FramedRPCTestSupport
import Testing

/// Request ids and the per-call log line (issue 18, logs).
@Suite("Request ids in the log")
struct RequestLogTests {
    @Test("a call's request id comes from x-request-id or is made, returns in the trailing metadata, and marks the call's log line")
    func requestIDs() async throws {
        let capture = LogCapture()
        try await withCardex(logger: capture.logger(level: .debug)) { server in
            let health = Framedrpc_Health_V1_Health.Client(wrapping: try server.client().rpc)
            let echoed = try await health.check(.init(), metadata: ["x-request-id": "abc-123"]) { response in
                response.trailingMetadata.firstText("x-request-id")
            }
            #expect(echoed == "abc-123")
            let made = try await health.check(.init(), metadata: ["x-request-id": .text(String(repeating: "x", count: 65))]) { response in
                response.trailingMetadata.firstText("x-request-id")
            }
            let madeID = try #require(made)
            #expect(madeID.count == 16 && madeID.allSatisfy(\.isHexDigit))
            await expectRPCError(.notFound) {
                try await health.check(.with { $0.service = "nope" }, metadata: ["x-request-id": "failing-1"])
            }

            let ended = capture.captured.filter { $0.message == "call ended" }
            let byID = Dictionary(ended.map { ($0.metadata["request_id"] ?? "", $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byID["abc-123"]?.metadata["method"] == "/framedrpc.health.v1.Health/Check")
            #expect(byID["abc-123"]?.metadata["status"] == "\(StatusCode.ok)")
            #expect(byID[madeID] != nil)
            #expect(byID["failing-1"]?.metadata["status"] == "\(StatusCode.notFound)")
            #expect(byID["failing-1"]?.level == .debug)
        }
    }
}
