import CGlibcMalloc
import Foundation
import FramedRPCInterop
import Testing

@testable import FramedRPC

@Suite("Connection memory: a closed connection leaves nothing behind")
struct ConnectionMemoryTests {
    /// Connections opened and closed per cycle.
    static let connectionsPerCycle = 200
    static let cycles = 5
    /// In-use heap growth allowed per connection between the second cycle and the last (the
    /// first warms caches: the connection table's capacity, NIO's and the runtime's pools).
    /// Measured: about 600 bytes (libdispatch's and the runtime's caches still filling);
    /// a connection whose handler is kept costs about 5.5 KiB on each side.
    static let allowedGrowthPerConnection = 2048

    @Test("glibc's in-use heap plateaus over cycles of TLS connections opened and closed")
    func heapPlateaus() async throws {
        // In a process of its own: other suites running in parallel would move the heap. The
        // child reports its measurements on standard error, one number per line.
        let result = try #require(
            await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
                let heaps = try await ConnectionMemoryTests.inUseHeapAfterEachCycle()
                FileHandle.standardError.write(Data(heaps.map { "\($0)\n" }.joined().utf8))
            })
        let heaps = String(decoding: result.standardErrorContent, as: UTF8.self).split(separator: "\n").compactMap { Int($0) }
        try #require(heaps.count == Self.cycles)
        let perConnection = (heaps[Self.cycles - 1] - heaps[1]) / (Self.connectionsPerCycle * (Self.cycles - 2))
        #expect(
            perConnection <= Self.allowedGrowthPerConnection,
            "in-use heap after each cycle: \(heaps) bytes; \(perConnection) bytes more per connection")
    }

    /// Runs the cycles against a TLS server and returns `mallinfo2().uordblks` after each, taken
    /// once the server has closed every connection of the cycle.
    static func inUseHeapAfterEachCycle() async throws -> [Int] {
        let server = RPCServer(services: [TestServiceImplementation()], configuration: .forTests)
        try await server.start(host: "127.0.0.1", port: 0, tls: TestCertificates.server())
        let port = server.port!
        let tls = try TestCertificates.client()
        var heaps: [Int] = []
        for _ in 0..<cycles {
            try await withThrowingTaskGroup(of: Void.self) { group in
                // A few at a time, as a client pool would: both cores busy, few sockets at once.
                for index in 0..<connectionsPerCycle {
                    if index >= 16 { try await group.next() }
                    group.addTask { try await openAndClose(port: port, tls: tls) }
                }
                try await group.waitForAll()
            }
            for _ in 0..<500 where server.connectionCount > 0 {
                try await Task.sleep(for: .milliseconds(2))
            }
            // The server's closeFuture callbacks run before its pipeline's handlers are removed.
            try await Task.sleep(for: .milliseconds(50))
            heaps.append(Int(mallinfo2().uordblks))
        }
        await server.shutdown(gracePeriod: .seconds(1))
        return heaps
    }

    /// One call on a new client's TLS connection, then the client closes it.
    private static func openAndClose(port: Int, tls: ClientTLSConfiguration) async throws {
        let client = try RPCClient(host: "127.0.0.1", port: port, tls: tls)
        let service = Framedrpc_Testing_TestService.Client(wrapping: client)
        _ = try await service.emptyCall(Framedrpc_Testing_Empty())
        await client.close()
    }
}
