import FramedRPCHealth
import Logging

/// Keeps the health statuses (``HealthStatuses``) true to the store: every ``interval`` it runs
/// the store's probe (one trivial statement); an answer within ``timeout`` makes the server and
/// every service serving, an error or no answer not serving. A load balancer's health check
/// then takes an instance that lost its database out of rotation.
struct StoreHealthMonitor: Sendable {
    let probe: @Sendable () async throws -> Void
    /// Every name known there (the server's and its services') follows the probe.
    let statuses: HealthStatuses
    let interval: Duration
    let logger: Logger

    /// How long the database may take to answer a probe: 2 s (a pool that must open a
    /// connection first does a TLS handshake with PostgreSQL).
    static let timeout: Duration = .seconds(2)

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
                    logger.error("the database does not answer: health checks say NOT_SERVING", metadata: ["within": "\(Self.timeout)"])
                }
            }
            statuses.setAll(answered ? .serving : .notServing)
            try? await Task.sleep(for: interval)
        }
    }

    /// Whether the probe answered within the timeout.
    private func probeOnce() async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await probe()) != nil }
            group.addTask {
                try? await Task.sleep(for: Self.timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
