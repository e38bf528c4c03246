import CardexPostgres
import CardexPostgresTestSupport
import CardexServer
import CardexTestSupport
import Foundation
import Logging

/// Runs `body` against `count` servers on one fresh PostgreSQL database, as instances of one
/// service: one secret file, one certificate, one notifier and one clock; each its own data
/// directory. Each is shut down afterwards (those already shut down by the test too), then the
/// database is dropped. PostgreSQL runs only (``TestDatabase/isPostgres``).
func withInstances(
    _ count: Int = 2,
    notifier: CapturingNotifier = CapturingNotifier(),
    clock: ManualClock = ManualClock(),
    configure: (inout CardexServerConfiguration) -> Void = { _ in },
    _ body: ([CardexTestServer]) async throws -> Void
) async throws {
    let shared = FileManager.default.temporaryDirectory.appendingPathComponent("cardex-instances-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
    let (database, drop) = try await TestPostgres.freshDatabase()
    var servers: [CardexTestServer] = []
    func cleanUp() async {
        for server in servers { await server.running.shutdown() }
        try? await drop()
        try? FileManager.default.removeItem(at: shared)
    }
    var quiet = Logger(label: "cardex-test")
    quiet.logLevel = .warning
    do {
        for n in 1...count {
            var configuration = CardexTestServer.configuration(
                dataDirectory: shared.appendingPathComponent("data-\(n)").path, secretFile: shared.appendingPathComponent("secret").path,
                database: .postgres(database))
            configure(&configuration)
            let running = try await CardexServer(configuration: configuration, logger: quiet, clock: clock, notifier: notifier).start()
            servers.append(CardexTestServer(running: running, configuration: configuration, notifier: notifier, clock: clock))
        }
        try await body(servers)
    } catch {
        await cleanUp()
        throw error
    }
    await cleanUp()
}
