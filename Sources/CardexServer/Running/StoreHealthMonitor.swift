import FramedRPCHealth
import Logging

/// Keeps the health statuses (``HealthStatuses``) true to the store: every ``interval`` it runs
/// the store's probe (one trivial statement); an answer within ``timeout`` makes the server and
/// every service serving, an error or no answer not serving. A load balancer's health check
/// then takes an instance that lost its database out of rotation.
struct StoreHealthMonitor: Sendable {
    let probe: @Sendable () async throws -> Void
    let statuses: HealthStatuses
    /// The services' names ("" for the server is added).
    let services: [String]
    let interval: Duration
    let timeout: Duration

    /// How long the database may take to answer a probe: 2 s (a pool that must open a
    /// connection first does a TLS handshake with PostgreSQL).
    static let timeout: Duration = .seconds(2)
    let logger: Logger

    /// Probes until the task is cancelled.
    func run() async {
        var serving = true
        while !Task.isCancelled {
            let answered = await probeOnce()
            if answered != serving {
                serving = answered
                if answered {
                    logger.notice("the database answers again: serving")
                } else {
                    logger.error("the database does not answer: health checks say NOT_SERVING", metadata: ["within": "\(timeout)"])
                }
            }
            for name in [""] + services { statuses.set(answered ? .serving : .notServing, for: name) }
            try? await Task.sleep(for: interval)
        }
    }

    /// Whether the probe answered within the timeout.
    private func probeOnce() async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await probe()) != nil }
            group.addTask { [timeout] in
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
