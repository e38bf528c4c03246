import FramedRPC
import FramedRPCInterop
import Testing

@Suite("Interop cases, Swift client")
struct InteropTests {
    @Test("interop case", arguments: TestTransport.allCases, InteropCase.allCases)
    func interop(transport: TestTransport, interopCase: InteropCase) async throws {
        try await withServer(transport: transport) { _, client in
            try await interopCase.run(using: client)
        }
    }
}
