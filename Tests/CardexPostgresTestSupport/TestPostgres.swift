import CardexPostgres
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The PostgreSQL server the tests run against, and fresh databases on it.
///
/// The server is `CARDEX_TEST_POSTGRES_URL` (with `CARDEX_TEST_POSTGRES_CA`, its TLS certificate,
/// when known) or, when that is unset, a throwaway cluster this test process starts once with
/// `scripts/postgres.sh start --owner-pid <this process>`, whose watchdog stops it when the
/// process exits. Its role must be allowed to CREATE DATABASE.
public enum TestPostgres {
    /// The server's URL and, when known, the PEM file its certificate chains to.
    public struct Server: Sendable {
        public var url: String
        public var certificatePath: String?
        /// The cluster's data directory, when known (`CARDEX_TEST_POSTGRES_DATA`, or a cluster this
        /// process started), for tests that read the database's files.
        public var dataDirectory: String?
    }

    /// Whether the server's certificate file is known, so that verify-full can be tested.
    public static var certificateKnown: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["CARDEX_TEST_POSTGRES_URL"] == nil || environment["CARDEX_TEST_POSTGRES_CA"] != nil
    }

    private static let server = Task<Server, any Error> {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["CARDEX_TEST_POSTGRES_URL"] {
            return Server(
                url: url, certificatePath: environment["CARDEX_TEST_POSTGRES_CA"], dataDirectory: environment["CARDEX_TEST_POSTGRES_DATA"])
        }
        return try await startCluster()
    }

    /// The server (started on first use).
    public static func current() async throws -> Server {
        try await server.value
    }

    /// The tests' pool: 4 connections, so many tests' pools fit the cluster's `max_connections`.
    public static let limits = PostgresStoreConfiguration.Limits.with { $0.maxConnections = 4 }

    /// The server's own database, with `sslmode` and the pool's limits given.
    public static func configuration(
        _ tls: PostgresTLSMode? = nil, limits: PostgresStoreConfiguration.Limits = limits
    ) async throws -> PostgresStoreConfiguration {
        var configuration = try PostgresStoreConfiguration(url: try await current().url, limits: limits)
        if let tls {
            configuration.tls = tls
        }
        return configuration
    }

    /// Runs `body` on a database created for it (a random name), dropped afterwards.
    public static func withFreshDatabase<Result: Sendable>(
        limits: PostgresStoreConfiguration.Limits = limits,
        _ body: (PostgresStoreConfiguration) async throws -> Result
    ) async throws -> Result {
        let (configuration, drop) = try await freshDatabase(limits: limits)
        let result: Result
        do {
            result = try await body(configuration)
        } catch {
            try? await drop()
            throw error
        }
        try await drop()
        return result
    }

    /// A database created for the caller (a random name), and what drops it.
    public static func freshDatabase(
        limits: PostgresStoreConfiguration.Limits = limits
    ) async throws -> (PostgresStoreConfiguration, drop: @Sendable () async throws -> Void) {
        let admin = try await configuration()
        let name = "cardex_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await run("CREATE DATABASE \(name)", on: admin)
        var configuration = admin
        configuration.database = name
        configuration.limits = limits
        return (configuration, { try await run("DROP DATABASE \(name) WITH (FORCE)", on: admin) })
    }

    /// The database kept for `key`: created on its first use in this test process and kept, so a
    /// test that restarts a server on the same data (the same key) finds it again.
    public static func keptDatabase(
        forKey key: String, limits: PostgresStoreConfiguration.Limits = limits
    ) async throws -> PostgresStoreConfiguration {
        var configuration: PostgresStoreConfiguration
        if let known = keptDatabases.withLock({ $0[key] }) {
            configuration = known
        } else {
            (configuration, _) = try await freshDatabase(limits: limits)
            keptDatabases.withLock { $0[key] = configuration }
        }
        configuration.limits = limits
        return configuration
    }

    private static let keptDatabases = Mutex<[String: PostgresStoreConfiguration]>([:])

    /// Runs `body` with a running pool of `configuration`, stopped afterwards.
    @discardableResult
    public static func withPool<Result: Sendable>(
        _ configuration: PostgresStoreConfiguration,
        _ body: (PostgresConnectionPool) async throws -> Result
    ) async throws -> Result {
        let pool = try PostgresConnectionPool(configuration: configuration, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
            group.addTask { await pool.run() }
            defer { group.cancelAll() }
            return try await body(pool)
        }
    }

    public static let logger = Logger(label: "cardex.postgres.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs one statement of `sql` on `configuration`'s database (the server's own, for a
    /// database's creation or removal) and returns how many rows it gave.
    @discardableResult
    public static func run(_ sql: String, on configuration: PostgresStoreConfiguration) async throws -> Int {
        try await withPool(configuration) { pool in
            try await pool.withConnection { try await $0.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect().count }
        }
    }

    /// `scripts/postgres.sh start --no-fsync` (a test cluster), owned by this process.
    private static func startCluster() async throws -> Server {
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("cardex-test-postgres-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = repository.appendingPathComponent("scripts/postgres.sh")
        process.arguments = ["start", "--owner-pid", "\(ProcessInfo.processInfo.processIdentifier)", "--state", state.path, "--no-fsync"]
        let output = Pipe()
        process.standardOutput = output
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
            }
        }
        let url = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0, !url.isEmpty else {
            throw TestPostgresError(
                "scripts/postgres.sh start failed (status \(status)): run scripts/bootstrap.sh, or set CARDEX_TEST_POSTGRES_URL")
        }
        let lines = (try? String(contentsOf: state, encoding: .utf8))?.split(separator: "\n") ?? []
        func value(_ key: String) -> String? { lines.first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) } }
        return Server(url: url, certificatePath: value("ca"), dataDirectory: value("data"))
    }
}

public struct TestPostgresError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
