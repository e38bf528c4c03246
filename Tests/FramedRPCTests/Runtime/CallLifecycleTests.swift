import Foundation
import FramedRPC
import FramedRPCInterop
import FramedRPCTestSupport
import Testing

@Suite("Call lifecycle: deadlines, cancellation, concurrency, back-pressure")
struct CallLifecycleTests {
    @Test("the handler sees the client's deadline", arguments: TestTransport.allCases)
    func deadlineVisible(transport: TestTransport) async throws {
        try await withServer(services: [ProbeService()], transport: transport) { _, client in
            let sent = ContinuousClock.now
            let withDeadline = try await client.unary(
                ProbeService.deadline, request: Framedrpc_Testing_Empty(), responseType: Framedrpc_Testing_SimpleResponse.self,
                options: CallOptions(timeout: .seconds(30))
            )
            // The handler ran within the call's round trip, so it saw 30 s less at most that long
            // (a loaded machine has taken over 5 s for it).
            let roundTrip = (ContinuousClock.now - sent) / .milliseconds(1)
            let remaining = Int(String(decoding: withDeadline.message.payload.body, as: UTF8.self)) ?? -1
            #expect(Double(remaining) >= 30_000 - roundTrip - 1 && remaining <= 30_000, "\(remaining) ms left after a \(roundTrip) ms round trip")
            let without = try await client.unary(
                ProbeService.deadline, request: Framedrpc_Testing_Empty(), responseType: Framedrpc_Testing_SimpleResponse.self
            )
            #expect(String(decoding: without.message.payload.body, as: UTF8.self) == "none")
        }
    }

    @Test("the server ends an overdue call with DEADLINE_EXCEEDED and cancels its handler", arguments: TestTransport.allCases)
    func deadlineEnforced(transport: TestTransport) async throws {
        let log = ProbeService.Log()
        try await withServer(services: [ProbeService(log: log)], transport: transport) { _, client in
            // Connect first, so the deadline covers the call and not the TLS handshake.
            _ = try await client.unary(ProbeService.deadline, request: Framedrpc_Testing_Empty(), responseType: Framedrpc_Testing_SimpleResponse.self)
            // A deadline that expires after the handler started (on a loaded machine a short one may
            // expire first: 300 ms did about one run in six, so it grows until the handler started),
            // then one that expires before it can start.
            for timeout in [Duration.seconds(2), .seconds(5), .seconds(10)] where log.hangStarted == 0 {
                await expectRPCError(.deadlineExceeded) {
                    try await client.unary(
                        ProbeService.hang, request: Framedrpc_Testing_Empty(), responseType: Framedrpc_Testing_Empty.self,
                        options: CallOptions(timeout: timeout)
                    )
                }
            }
            await expectRPCError(.deadlineExceeded) {
                try await client.unary(
                    ProbeService.hang, request: Framedrpc_Testing_Empty(), responseType: Framedrpc_Testing_Empty.self,
                    options: CallOptions(timeout: .milliseconds(1))
                )
            }
            #expect(
                await eventually { log.hangStarted >= 1 && log.hangCancelled == log.hangStarted }, "started \(log.hangStarted), cancelled \(log.hangCancelled)")
        }
    }

    @Test("cancelling the client task cancels the server handler", arguments: TestTransport.allCases)
    func clientCancellationReachesServer(transport: TestTransport) async throws {
        let log = ProbeService.Log()
        try await withServer(services: [ProbeService(log: log)], transport: transport) { _, client in
            let call = Task {
                try await client.unary(ProbeService.hang, request: Framedrpc_Testing_Empty(), responseType: Framedrpc_Testing_Empty.self)
            }
            #expect(await eventually { log.hangStarted == 1 })
            call.cancel()
            let result = await call.result
            #expect((try? result.get()) == nil)
            #expect((result.failure as? RPCError)?.code == .cancelled)
            #expect(await eventually { log.hangCancelled == 1 })
        }
    }

    @Test("250 concurrent calls share one connection; those past the limit of 100 wait their turn", arguments: TestTransport.allCases)
    func concurrentCalls(transport: TestTransport) async throws {
        try await withServer(transport: transport) { server, client in
            let service = Framedrpc_Testing_TestService.Client(wrapping: client)
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<250 {
                    group.addTask {
                        let response = try await service.unaryCall(.with { $0.responseSize = Int32(index) })
                        return response.payload.body.count
                    }
                }
                var sizes: [Int] = []
                for try await size in group { sizes.append(size) }
                #expect(sizes.sorted() == Array(0..<250))
            }
            if transport == .tls {
                #expect(server.connectionCount == 1)
            }
        }
    }

    @Test("a reader that stops reading holds the writer at about one window", arguments: TestTransport.allCases)
    func backPressure(transport: TestTransport) async throws {
        let log = ProbeService.Log()
        try await withServer(services: [ProbeService(log: log)], transport: transport) { _, client in
            let request = Framedrpc_Testing_SimpleRequest.with { $0.responseSize = 64 }
            try await client.serverStreaming(ProbeService.flood, request: request, responseType: Framedrpc_Testing_SimpleResponse.self) { responses in
                // Nothing read yet: the handler may write 1 MiB (16 messages of 64 KiB) and one more.
                _ = await eventually { log.floodWrites >= 17 }
                try await Task.sleep(for: .milliseconds(200))
                #expect(log.floodWrites <= 17)
                var count = 0
                for try await response in responses {
                    count += 1
                    #expect(response.payload.body.count == 64 << 10)
                }
                #expect(count == 64)
            }
        }
    }

    @Test("a client-streaming call larger than the window completes", arguments: TestTransport.allCases)
    func largeUpload(transport: TestTransport) async throws {
        try await withServer(transport: transport) { _, client in
            let service = Framedrpc_Testing_TestService.Client(wrapping: client)
            let response = try await service.streamingInputCall { writer in
                for _ in 0..<48 {
                    try await writer.write(.with { $0.payload.body = Data(count: 100_000) })
                }
            }
            #expect(response.aggregatedPayloadSize == 4_800_000)
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
