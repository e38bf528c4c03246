import ServiceLifecycle

/// Something a running server keeps open (the metrics endpoint, the database's connections) as
/// a service of its group: ``run()`` waits for graceful shutdown, or cancellation, then closes
/// it and returns once it is closed. The group's order decides when that is.
struct ClosingService: Service, CustomStringConvertible {
    /// What it closes, for the log.
    let description: String
    private let close: @Sendable () async -> Void

    init(_ name: String, close: @escaping @Sendable () async -> Void) {
        self.description = name
        self.close = close
    }

    func run() async throws {
        // Cancelled instead: the group is giving up on a graceful shutdown, and closes all the same.
        try? await gracefulShutdown()
        await close()
    }
}
