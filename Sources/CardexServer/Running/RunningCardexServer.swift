import FramedRPC
import Logging
import ServiceLifecycle

/// A started ``CardexServer``: listening, with its parts running as one swift-service-lifecycle
/// `ServiceGroup` until ``shutdown()`` or a graceful shutdown of the task that started it.
///
/// The group starts the parts in this order and stops them in the reverse, each once the one
/// after it has ended: the database's connections; with a database other instances share, the
/// health probe, the presence recorder, the fetcher of the events the others store and the
/// listener for their signals; the lookup-budget saver; the notification worker; the metrics
/// endpoint; the RPC and CardDAV ports (``CallEndpoints``). So a shutdown drains the calls
/// first, closes the metrics endpoint once the RPC server has stopped, stops the background
/// loops one by one (``BackgroundService``, each within ``taskStopLimit``), and closes the
/// database's connections last, when nothing writes to them any more.
///
/// A part that fails (or a loop that ends by itself) shuts the others down the same way, and
/// ``waitUntilClosed()`` then throws its error.
public final class RunningCardexServer: Sendable {
    /// The port it listens on (the real one when the configuration said 0).
    public let port: Int
    /// With a development certificate: the authority file clients must trust.
    public let trustRootPath: String?
    /// The port of the metrics endpoint, when metrics are on (the real one when 0 was asked for).
    public let metricsPort: Int?
    /// The port of the CardDAV endpoint, when it is on (the real one when 0 was asked for).
    public let cardDAVPort: Int?

    private let rpc: RPCServer
    private let parts: ServiceGroup
    /// Runs ``parts`` until they have all stopped.
    private let serving: Task<Void, any Error>

    /// How long stopping waits for each background loop (a final save included) to end.
    static let taskStopLimit: Duration = .seconds(5)

    /// Starts running `parts` (in start order, see the type's notes) at once.
    init(parts: [any Service], rpc: RPCServer, port: Int, trustRootPath: String?, metricsPort: Int?, cardDAVPort: Int?, logger: Logger) {
        self.rpc = rpc
        self.port = port
        self.trustRootPath = trustRootPath
        self.metricsPort = metricsPort
        self.cardDAVPort = cardDAVPort
        let services = parts.map {
            ServiceGroupConfiguration.ServiceConfiguration(
                service: $0, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
        }
        // No signals: the process's own group (`cardex serve`), or whoever called start(), decides when to stop.
        let parts = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: logger))
        self.parts = parts
        serving = Task { try await parts.run() }
    }

    /// A client that calls this server's services in this process, without sockets or TLS
    /// (``RPCClient/init(inProcess:interceptors:)``): the same handlers, interceptors, session
    /// checks, deadlines and flow control as a call through ``port``. Its calls' peer is
    /// `in-process`, so they share one address's limits.
    public func inProcessClient(interceptors: [any ClientInterceptor] = []) -> RPCClient {
        RPCClient(inProcess: rpc, interceptors: interceptors)
    }

    /// Returns when every part has stopped, after ``shutdown()`` or when one failed.
    /// - Throws: the error of the first part that failed or ended by itself.
    public func waitUntilClosed() async throws {
        try await serving.value
    }

    /// Stops the parts in the order the type's notes give: says NOT_SERVING to health checks
    /// (and ends their Watch streams), refuses new calls, ends event streams (`UNAVAILABLE`:
    /// devices resubscribe elsewhere or later), lets other in-flight calls finish within the
    /// grace period, closes the metrics endpoint, stops the background loops one by one (the
    /// worker, the lookup budgets' final save, …; each within ``taskStopLimit``, a loop that
    /// does not end then is logged and left), then closes the database's connections.
    /// Returns once all that is done; calling it again waits for the same shutdown.
    public func shutdown() async {
        await parts.triggerGracefulShutdown()
        _ = try? await serving.value
    }

    /// Cancels the parts, when the process's group gives up on a graceful shutdown: each stops
    /// as it would in one, without waiting for its turn.
    func cancel() {
        serving.cancel()
    }
}
