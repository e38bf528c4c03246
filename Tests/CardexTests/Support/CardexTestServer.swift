import CardexClient
import CardexCore
import CardexProto
import CardexServer
import CardexTestSupport
import Foundation
import FramedRPC
import Logging
import Tracing

/// How a test's clients reach its server.
enum TestTransport {
    /// Straight to the server's services in this process (``RunningCardexServer/inProcessClient(interceptors:)``):
    /// the same handlers, interceptors, sessions and deadlines, without sockets or TLS. What
    /// most tests are about.
    case inProcess
    /// Over TLS to the server's port, as a device connects: for tests of the wire, of
    /// connections, and of a whole sign-in as a device makes it.
    case tls
}

/// A Cardex server on a free port with the test certificate and a fresh data directory, and
/// clients for it (in this process unless the test asks for TLS).
struct CardexTestServer {
    let running: RunningCardexServer
    let configuration: CardexServerConfiguration
    let notifier: CapturingNotifier
    let clock: ManualClock
    /// How ``client(token:)``'s clients reach the server.
    var transport: TestTransport = .inProcess

    /// The tests' people have numbers under +1555, an area code North America never assigned:
    /// the server accepts them as test numbers, as it would refuse them on a real deployment.
    static let testNumberPrefix = "+1555"

    static var certificates: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Certificates")
    }

    /// A test server's settings: a free port, the test certificate, region US, the test numbers.
    static func configuration(
        dataDirectory: String, secretFile: String? = nil, database: CardexServerConfiguration.Database
    ) -> CardexServerConfiguration {
        CardexServerConfiguration.with {
            $0.port = 0
            $0.dataDirectory = dataDirectory
            $0.secretFile = secretFile
            $0.database = database
            $0.certificate = .files(
                certificateChain: certificates.appendingPathComponent("server.pem").path,
                privateKey: certificates.appendingPathComponent("server-key.pem").path)
            $0.defaultRegion = "US"
            $0.testNumberPrefixes = [testNumberPrefix]
        }
    }

    /// A client with no session, or with `token`, over the server's ``transport``.
    func client(token: String? = nil) throws -> CardexClient {
        switch transport {
        case .inProcess:
            let credentials = SessionCredentials(token: token)
            return CardexClient(rpc: running.inProcessClient(interceptors: [credentials]), credentials: credentials)
        case .tls:
            return try tlsClient(token: token)
        }
    }

    /// A client with no session, or with `token`, over TLS to the server's port whatever its ``transport``.
    func tlsClient(token: String? = nil) throws -> CardexClient {
        try CardexClient(
            host: "127.0.0.1", port: running.port,
            trustRootsPath: running.trustRootPath ?? Self.certificates.appendingPathComponent("ca.pem").path,
            serverHostname: "localhost", token: token)
    }

    /// Registers or logs in `phone` on a new device: requests a code, reads it from the
    /// notifier and verifies it. Returns the device's client (holding the session) and the answer.
    func signIn(_ phone: String, device: String = "test device") async throws -> (CardexClient, Cardex_V1_VerifyCodeResponse) {
        let client = try client()
        let before = notifier.delivered.count
        let requested = try await client.registration.requestCode(
            .with {
                $0.phone = phone
                $0.purpose = .register
            })
        let code = try await notifier.code(for: requested.phone, amongDeliveredAfter: before)
        let verified = try await client.registration.verifyCode(
            .with {
                $0.phone = phone
                $0.code = code
                $0.purpose = .login
                $0.deviceName = device
            })
        client.credentials.token = verified.sessionToken
        return (client, verified)
    }
}

/// Runs `body` against a fresh server, then shuts it down and removes its data; the server logs
/// warnings and worse to standard error unless given a `logger`. Its clients call it in this
/// process unless `transport` says TLS. The store is
/// the one ``TestDatabase`` says; a test passing its own `dataDirectory` (to start a server on it
/// again) keeps its database too.
func withCardex(
    transport: TestTransport = .inProcess,
    dataDirectory: String? = nil,
    notifier: CapturingNotifier = CapturingNotifier(),
    clock: ManualClock = ManualClock(),
    logger: Logger? = nil,
    tracer: (any Tracer)? = nil,
    configure: (inout CardexServerConfiguration) -> Void = { _ in },
    _ body: (CardexTestServer) async throws -> Void
) async throws {
    let directory =
        dataDirectory
        ?? FileManager.default.temporaryDirectory
        .appendingPathComponent("cardex-test-\(UUID().uuidString)").path
    let (database, dropDatabase) = try await TestDatabase.database(for: directory, keep: dataDirectory != nil)
    var configuration = CardexTestServer.configuration(dataDirectory: directory, database: database)
    // With every suite running at once on two cores, a TLS handshake has taken over the default
    // 10 s and the server closed the connection; no Cardex test is about that limit.
    configuration.rpc.connection.handshakeTimeout = .seconds(60)
    configure(&configuration)
    var quiet = Logger(label: "cardex-test")
    quiet.logLevel = .warning
    let logger = logger ?? quiet
    func cleanUp() async {
        await dropDatabase()
        if dataDirectory == nil { try? FileManager.default.removeItem(atPath: directory) }
    }
    let running: RunningCardexServer
    do {
        running = try await CardexServer(configuration: configuration, logger: logger, clock: clock, notifier: notifier, tracer: tracer).start()
    } catch {
        await cleanUp()
        throw error
    }
    let server = CardexTestServer(running: running, configuration: configuration, notifier: notifier, clock: clock, transport: transport)
    do {
        try await body(server)
    } catch {
        await running.shutdown()
        await cleanUp()
        throw error
    }
    await running.shutdown()
    await cleanUp()
}
