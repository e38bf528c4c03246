import CardexCore
import CardexServer
import Foundation
import FramedRPC
import Logging

/// A Cardex server in this process for one benchmark: the store of its ``StoreOptions`` (the
/// embedded SQLite or a PostgreSQL database), a fresh data directory (removed by ``stop()``)
/// unless one is given, the secret of ``StoreOptions/serverSecretFile()``, the development
/// certificate, and clients that read their verification codes from a ``CodeInbox``.
struct BenchServer {
    let running: RunningCardexServer
    let configuration: CardexServerConfiguration
    let clients: BenchClients
    private let removesData: Bool

    /// Code requests allowed per number and per client address: every benchmark signs its people
    /// in from 127.0.0.1, and a store that outlives the run (a PostgreSQL database, a reused
    /// `--data-dir`) keeps the last hour's requests, so the defaults would refuse a second run.
    static let registration: RegistrationPolicy = {
        var policy = RegistrationPolicy.defaults
        policy.maxRequestsPerNumber = 1000
        policy.maxRequestsPerAddress = 1_000_000
        return policy
    }()

    /// Starts the server; `prepare` runs first, with the data directory in place (for seeding).
    /// Started `alongside` another on the same PostgreSQL database, it is a second instance of
    /// one service: a data directory of its own, the first one's certificate, and the same
    /// code inbox (either instance's worker may deliver a code requested through the other).
    static func start(
        store: StoreOptions, alongside first: BenchServer? = nil, interceptors: [any ServerInterceptor] = [],
        configure: (inout CardexServerConfiguration) -> Void = { _ in },
        prepare: (CardexServerConfiguration) async throws -> Void = { _ in }
    ) async throws -> BenchServer {
        let directory =
            (first == nil ? store.dataDir : nil)
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("cardex-bench-\(UUID().uuidString)").path
        // The benchmarks' populations have fictional +1 numbers (area codes 555 to 559, exchanges
        // such as 000 that no one has): any of the right length is a test number here.
        var configuration = CardexServerConfiguration.defaults
        configuration.port = 0
        configuration.dataDirectory = directory
        configuration.secretFile = try store.serverSecretFile()
        configuration.database = try store.serverDatabase()
        configuration.testNumberPrefixes = ["+1"]
        configuration.registration = registration
        configure(&configuration)
        if let first {
            let base = URL(fileURLWithPath: first.configuration.dataDirectory)
            configuration.certificate = .files(
                certificateChain: base.appendingPathComponent("dev-server.pem").path,
                privateKey: base.appendingPathComponent("dev-server-key.pem").path)
        }
        try await prepare(configuration)
        var logger = Logger(label: "cardex-bench")
        logger.logLevel = .warning
        let codes = first?.clients.codes ?? CodeInbox()
        let running = try await CardexServer(configuration: configuration, logger: logger, notifier: codes, interceptors: interceptors).start()
        guard let ca = running.trustRootPath ?? first?.clients.trustRoots else {
            await running.shutdown()
            throw BenchError("the server made no development certificate")
        }
        return BenchServer(
            running: running, configuration: configuration, clients: BenchClients(port: running.port, trustRoots: ca, codes: codes),
            removesData: first != nil || store.dataDir == nil)
    }

    /// Closes the clients, stops the server and removes a data directory it made.
    func stop() async {
        await clients.closeAll()
        await running.shutdown()
        if removesData { try? FileManager.default.removeItem(atPath: configuration.dataDirectory) }
    }
}

/// Percentile `fraction` (0...1) of `values`, sorted or not; 0 when empty.
func percentile(_ fraction: Double, of values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}

/// The summary line of a benchmark: `"median_ms":…,"min_ms":…,"max_ms":…` over its runs.
func summary(of timings: [Double]) -> String {
    let sorted = timings.sorted()
    func ms(_ value: Double?) -> String { String(format: "%.1f", value ?? 0) }
    return #""median_ms":\#(ms(percentile(0.5, of: sorted))),"min_ms":\#(ms(sorted.first)),"max_ms":\#(ms(sorted.last))"#
}
