import FramedRPCInterop
import FramedRPCTestSupport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SwiftProtobuf
import Testing

@testable import FramedRPC

/// Request metadata over the server's limit (8 KiB by default, each entry counting its key,
/// its value and 32) ends that call only; response metadata over the client's limit likewise.
@Suite("Metadata limits")
struct MetadataLimitTests {
    static let emptyCall = "/framedrpc.testing.TestService/EmptyCall"

    /// A CallHeaders payload for EmptyCall carrying `entries` as text metadata.
    static func headers(_ entries: [(String, String)]) -> [UInt8] {
        var headers = Framedrpc_V1_CallHeaders()
        headers.method = emptyCall
        headers.metadata = entries.map { key, value in
            .with {
                $0.key = key
                $0.text = value
            }
        }
        return headers.payloadBytes
    }

    /// One entry whose size, as the limit counts it, is `size` bytes.
    static func entry(size: Int) -> [(String, String)] {
        [("x-big", String(repeating: "a", count: size - 5 - MetadataLimit.entryOverhead))]
    }

    /// Sends `payload` as HEADERS (then an empty message and HALF_CLOSE) on stream 1 of a raw
    /// connection, returns the call's status, and checks that a plain call on stream 3 and a
    /// connection opened before still work.
    private func statusOfCall(headers payload: [UInt8]) async throws -> Framedrpc_V1_CallStatus? {
        try await withServer { server, client in
            let bystander = Framedrpc_Testing_TestService.Client(wrapping: client)
            _ = try await bystander.emptyCall(Framedrpc_Testing_Empty())
            let raw = try await RawConnection.connect(port: server.port!, tls: TestCertificates.client())
            try await raw.sendPreface()
            try await raw.sendFrame(.headers, stream: 1, payload: payload)
            try await raw.sendFrame(.message, stream: 1)
            try await raw.sendFrame(.halfClose, stream: 1)
            let status = await raw.collect(until: { $0.status != nil }).compactMap(\.status).first
            #expect(status?.stream == 1)
            try await raw.sendCall(stream: 3, method: Self.emptyCall, message: [])
            let next = await raw.collect(until: { $0.status != nil }).compactMap(\.status).first
            #expect(next?.stream == 3)
            #expect(next?.status.code == StatusCode.ok.rawValue)
            await raw.close()
            _ = try await bystander.emptyCall(Framedrpc_Testing_Empty())
            return status?.status
        }
    }

    @Test("metadata of exactly the limit is accepted")
    func atTheLimit() async throws {
        let status = try await statusOfCall(headers: Self.headers(Self.entry(size: 8 << 10)))
        #expect(status?.code == StatusCode.ok.rawValue)
    }

    /// Metadata over the default limit, each kind caught at a different step.
    enum Oversize: String, CaseIterable, Sendable {
        /// Caught when the decoded entries are measured.
        case oneByteOver = "one byte over"
        /// A small payload (about 2 KiB), so caught only when the decoded entries are measured.
        case manySmallEntries = "300 empty entries"
        /// Caught from the payload size, before decoding.
        case fourMiBValue = "a 4 MiB value"

        var entries: [(String, String)] {
            switch self {
            case .oneByteOver: MetadataLimitTests.entry(size: (8 << 10) + 1)
            case .manySmallEntries: (0..<300).map { ("k\($0)", "") }
            case .fourMiBValue: MetadataLimitTests.entry(size: (4 << 20) - 64)
            }
        }
    }

    @Test("metadata over the limit gets RESOURCE_EXHAUSTED; the connection carries on", arguments: Oversize.allCases)
    func overTheLimit(_ oversize: Oversize) async throws {
        let status = try await statusOfCall(headers: Self.headers(oversize.entries))
        #expect(status?.code == StatusCode.resourceExhausted.rawValue)
        #expect(status?.message.contains("8192") == true, "\(status?.message ?? "")")
    }

    @Test("a HEADERS payload too large to hold metadata within the limit is refused before it is decoded")
    func refusedUndecoded() async throws {
        // Not protobuf at all: decoding would answer INVALID_ARGUMENT.
        let status = try await statusOfCall(headers: [UInt8](repeating: 0xFF, count: 100 << 10))
        #expect(status?.code == StatusCode.resourceExhausted.rawValue)
    }

    @Test("a reserved framedrpc- key gets INVALID_ARGUMENT from the server, and the Swift client does not send it")
    func reservedKey() async throws {
        let status = try await statusOfCall(headers: Self.headers([("framedrpc-timeout", "1")]))
        #expect(status?.code == StatusCode.invalidArgument.rawValue)
        #expect(status?.message.contains("reserved") == true)
        try await withServer { _, client in
            let service = Framedrpc_Testing_TestService.Client(wrapping: client)
            await expectRPCError(.invalidArgument) {
                try await service.emptyCall(Framedrpc_Testing_Empty(), metadata: ["framedrpc-timeout": "1"])
            }
        }
    }

    @Test("a loop of calls with metadata at the limit on one connection does not hold up another connection")
    func loopAtTheLimit() async throws {
        // One event loop: both connections share it, so a starved bystander would show.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = RPCServer(services: [TestServiceImplementation()], configuration: .forTests, eventLoopGroup: group)
        try await server.start(host: "127.0.0.1", port: 0, tls: TestCertificates.server())
        let raw = try await RawConnection.connect(port: server.port!, tls: TestCertificates.client())
        try await raw.sendPreface()
        let payload = Self.headers(Self.entry(size: 8 << 10))
        let batch = 20
        let cap = 5_000
        let bystanderDone = NIOLockedValueBox(false)
        // Sends calls until the bystander is done (or `cap`, about 40 MiB, is reached); the
        // writes wait whenever the server falls behind reading.
        let flood = Task {
            var sent = 0
            while !bystanderDone.withLockedValue({ $0 }), sent < cap {
                var frames = ByteBuffer()
                for _ in 0..<batch {
                    let stream = UInt32(2 * sent + 1)
                    frames.writeFrame(type: .headers, streamID: stream, payload: payload)
                    frames.writeEmptyFrame(type: .message, streamID: stream)
                    frames.writeEmptyFrame(type: .halfClose, streamID: stream)
                    sent += 1
                }
                try await raw.send(Array(frames.readableBytesView))
            }
            let last = UInt32(2 * sent - 1)
            let statuses = await raw.collect(until: { $0.status?.stream == last }, timeout: .seconds(60))
            return (sent, statuses.compactMap(\.status))
        }
        let client = try makeTLSClient(for: server)
        let bystander = Framedrpc_Testing_TestService.Client(wrapping: client)
        for _ in 0..<5 {
            _ = try await bystander.emptyCall(Framedrpc_Testing_Empty())
        }
        bystanderDone.withLockedValue { $0 = true }
        let (sent, statuses) = try await flood.value
        #expect(sent < cap, "the bystander's calls waited for the whole flood")
        #expect(statuses.count == sent)
        #expect(statuses.allSatisfy { $0.status.code == StatusCode.ok.rawValue })
        await client.close()
        await raw.close()
        await server.shutdown(gracePeriod: .seconds(1))
        try await group.shutdownGracefully()
    }

    @Test(
        "response metadata over the client's limit ends the call with RESOURCE_EXHAUSTED; the connection carries on",
        arguments: [true, false])
    func clientLimit(initial: Bool) async throws {
        let server = RPCServer(services: [TestServiceImplementation()], configuration: .forTests)
        try await server.start(host: "127.0.0.1", port: 0, tls: TestCertificates.server())
        var configuration = ClientConfiguration.defaults
        configuration.maxMetadataSize = 256
        let client = try RPCClient(host: "127.0.0.1", port: server.port!, tls: TestCertificates.client(), configuration: configuration)
        let service = Framedrpc_Testing_TestService.Client(wrapping: client)
        let big: Metadata =
            initial
            ? [TestServiceImplementation.echoInitialKey: .text(String(repeating: "a", count: 300))]
            : [TestServiceImplementation.echoTrailingKey: .binary([UInt8](repeating: 1, count: 300))]
        await expectRPCError(.resourceExhausted) {
            try await service.unaryCall(Framedrpc_Testing_SimpleRequest(), metadata: big)
        }
        _ = try await service.unaryCall(Framedrpc_Testing_SimpleRequest())
        await client.close()
        await server.shutdown(gracePeriod: .seconds(1))
    }
}
