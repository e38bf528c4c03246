import CoreMetrics
import FramedRPC
import FramedRPCInterop
import Logging

/// How a test's client reaches the server.
enum TestTransport: String, CaseIterable, Sendable, CustomStringConvertible {
    /// TCP with TLS, on loopback.
    case tls
    /// No sockets: ``RPCClient/init(inProcess:interceptors:)``.
    case inProcess

    var description: String { rawValue }
}

/// The handshake limit of test servers whose test does not set one.
let testHandshakeTimeout = Duration.seconds(60)

extension ServerConfiguration {
    /// This configuration with ``testHandshakeTimeout`` unless it sets a handshake limit of its
    /// own: with every suite running at once on two cores, a handshake has taken over the
    /// default 10 s and the server closed a test's connection; the tests of the limit set theirs.
    var forTests: ServerConfiguration {
        var configuration = self
        if configuration.connection.handshakeTimeout == ServerConfiguration.defaults.connection.handshakeTimeout {
            configuration.connection.handshakeTimeout = testHandshakeTimeout
        }
        return configuration
    }

    /// The defaults, ``forTests``.
    static var forTests: ServerConfiguration { ServerConfiguration.defaults.forTests }
}

/// Starts a TLS server on a free loopback port with `services` (by default the interop test
/// service), runs `body` with it and a client over `transport`, and shuts both down.
func withServer<Result>(
    services: [any RPCService] = [TestServiceImplementation()],
    interceptors: [any ServerInterceptor] = [],
    clientInterceptors: [any ClientInterceptor] = [],
    configuration: ServerConfiguration = .defaults,
    metricsFactory: (any MetricsFactory)? = nil,
    tracing: ServerTracing? = nil,
    logger: Logger = Logger(label: "framedrpc-test", factory: { _ in SwiftLogNoOpLogHandler() }),
    tls: ServerTLSConfiguration? = nil,
    transport: TestTransport = .tls,
    _ body: (RPCServer, RPCClient) async throws -> Result
) async throws -> Result {
    let server = RPCServer(
        services: services, interceptors: interceptors, configuration: configuration.forTests, metricsFactory: metricsFactory, tracing: tracing,
        logger: logger)
    try await server.start(host: "127.0.0.1", port: 0, tls: tls ?? TestCertificates.server())
    let client: RPCClient
    switch transport {
    case .tls:
        client = try RPCClient(host: "127.0.0.1", port: server.port!, tls: TestCertificates.client(), interceptors: clientInterceptors)
    case .inProcess:
        client = RPCClient(inProcess: server, interceptors: clientInterceptors)
    }
    do {
        let result = try await body(server, client)
        await client.close()
        await server.shutdown(gracePeriod: .seconds(1))
        return result
    } catch {
        await client.close()
        await server.shutdown(gracePeriod: .seconds(1))
        throw error
    }
}

/// Makes a new TLS client for `server`.
func makeTLSClient(for server: RPCServer) throws -> RPCClient {
    try RPCClient(host: "127.0.0.1", port: server.port!, tls: TestCertificates.client())
}

/// Checks that `server` still answers an ordinary call on a new connection.
func expectServerStillServes(_ server: RPCServer) async throws {
    let client = try makeTLSClient(for: server)
    let service = Framedrpc_Testing_TestService.Client(wrapping: client)
    let result = await outcome { try await service.emptyCall(Framedrpc_Testing_Empty()) }
    await client.close()
    _ = try result.get()
}
