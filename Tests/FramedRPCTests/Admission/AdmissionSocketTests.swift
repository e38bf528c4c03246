import FramedRPCInterop
import NIOPosix
import Testing

@testable import FramedRPC

/// One client address hoards connections (loopback 127.0.0.2 and up); the test client on
/// 127.0.0.1 must still be served.
@Suite("Connection admission over sockets")
struct AdmissionSocketTests {
    /// Opens `count` plain TCP connections from `host` that never start TLS, one after another
    /// (so the server takes them in this order).
    private func hoard(_ count: Int, from host: String, port: Int) async throws -> [RawConnection] {
        var connections: [RawConnection] = []
        for _ in 0..<count {
            connections.append(try await RawConnection.connect(port: port, from: host))
        }
        return connections
    }

    /// Runs `body` with a TLS server on one event-loop thread (so it takes connections in the
    /// order they were opened) and a client of it on 127.0.0.1.
    private func withServer(
        configuration: ServerConfiguration,
        _ body: (RPCServer, RPCClient) async throws -> Void
    ) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // The hoarded connections never handshake: under the default 10 s limit a loaded run
        // saw the server close one the test still counted as pending.
        let server = RPCServer(services: [TestServiceImplementation()], configuration: configuration.forTests, eventLoopGroup: group)
        try await server.start(host: "127.0.0.1", port: 0, tls: TestCertificates.server())
        let client = try makeTLSClient(for: server)
        let result = await outcome { try await body(server, client) }
        await client.close()
        await server.shutdown(gracePeriod: .seconds(1))
        try await group.shutdownGracefully()
        try result.get()
    }

    private func emptyCall(_ client: RPCClient) async throws {
        _ = try await Framedrpc_Testing_TestService.Client(wrapping: client).emptyCall(Framedrpc_Testing_Empty())
    }

    @Test("handshakes hoarded from one address do not keep another out; the hoarder keeps only its pending limit, its newest")
    func hoardedHandshakes() async throws {
        let configuration = ServerConfiguration.with {
            $0.admission.maxConnections = 8
            $0.admission.maxPendingHandshakesPerAddress = 4
        }
        try await withServer(configuration: configuration) { server, client in
            let hoarded = try await hoard(12, from: "127.0.0.2", port: server.port!)
            for connection in hoarded[..<8] {
                #expect(await connection.collect() == [.closed])
            }
            for connection in hoarded[8...] {
                #expect(await connection.collect(for: .milliseconds(100)) == [])
            }
            #expect(server.pendingHandshakeCount == 4)
            try await emptyCall(client)
            for connection in hoarded { await connection.close() }
        }
    }

    @Test("an address at its connection limit is refused while another address is served")
    func connectionsPerAddress() async throws {
        try await withServer(configuration: ServerConfiguration.with { $0.admission.maxConnectionsPerAddress = 3 }) { server, client in
            var held: [RawConnection] = []
            for _ in 0..<3 {
                let connection = try await RawConnection.connect(port: server.port!, tls: TestCertificates.client(), from: "127.0.0.2")
                try await connection.sendPreface()
                // The server answers the preface only after taking it: the connection is established.
                #expect(await connection.collect(until: { $0 == .preface(.current) }) == [.preface(.current)])
                held.append(connection)
            }
            let refused = try await RawConnection.connect(port: server.port!, from: "127.0.0.2")
            #expect(await refused.collect() == [.closed])
            try await emptyCall(client)
            for connection in held {
                #expect(await connection.collect(for: .milliseconds(50)) == [])
                await connection.close()
            }
        }
    }

    @Test("handshakes hoarded from several addresses cannot fill the server: a new client displaces the oldest")
    func hoardFromManyAddresses() async throws {
        let configuration = ServerConfiguration.with {
            $0.admission.maxConnections = 4
            $0.admission.maxPendingHandshakesPerAddress = 2
        }
        try await withServer(configuration: configuration) { server, client in
            let first = try await hoard(2, from: "127.0.0.2", port: server.port!)
            let second = try await hoard(2, from: "127.0.0.3", port: server.port!)
            try await emptyCall(client)
            #expect(await first[0].collect() == [.closed])
            #expect(await second[1].collect(for: .milliseconds(50)) == [])
            for connection in first + second { await connection.close() }
        }
    }
}
