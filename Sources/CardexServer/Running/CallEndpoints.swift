import CardexDAV
import FramedRPC
import FramedRPCHealth
import ServiceLifecycle

/// The ports that take calls, the RPC server's and CardDAV's when it is on, as the service of
/// a running server's group that stops first.
///
/// Both listen before the group runs (``CardexServer/start()`` returns once they do).
/// ``run()`` serves until graceful shutdown (or cancellation), then says NOT_SERVING to health
/// checks (and ends their Watch streams), ends the event streams (`UNAVAILABLE`: devices
/// resubscribe elsewhere or later), and drains both ports together: new connections are
/// refused and in-flight calls may finish within ``gracePeriod``. It returns once both have
/// stopped.
struct CallEndpoints: Service, CustomStringConvertible {
    let rpc: RPCServer
    let cardDAV: CardDAVServer?
    let health: HealthStatuses
    let hub: EventHub
    /// How long in-flight RPC calls may take to finish once shutdown begins.
    let gracePeriod: Duration

    var description: String { cardDAV == nil ? "RPC server" : "RPC and CardDAV servers" }

    func run() async throws {
        // Cancelled instead: the group gives up on waiting; drain all the same.
        try? await gracefulShutdown()
        health.stop()
        hub.close()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await rpc.shutdown(gracePeriod: gracePeriod) }
            group.addTask { await cardDAV?.close() }
        }
    }
}
