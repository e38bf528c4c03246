import CardexCore
import CardexPostgres
import Foundation
import Logging
import PostgresNIO

/// PostgreSQL for the contract: the server is `CARDEX_TEST_POSTGRES_URL` or, when unset, a
/// throwaway cluster this test process starts once (`scripts/postgres.sh start --owner-pid`, whose
/// watchdog removes it when the process exits); each case gets a database of its own, dropped
/// afterwards. (CardexPostgresTests' `TestPostgres` does the same for its suites; test targets
/// cannot share code without a library target of their own.)
enum ContractPostgres {
    /// Connections each case's store may open: enough for the concurrent cases, few enough for
    /// every case running in parallel to stay under the server's `max_connections`.
    private static let limits = PostgresStoreConfiguration.Limits(maxConnections: 4)
    private static let logger = Logger(label: "cardex.contract.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    private static let serverURL = Task<String, any Error> {
        if let url = ProcessInfo.processInfo.environment["CARDEX_TEST_POSTGRES_URL"] {
            return url
        }
        return try await startCluster()
    }

    /// A ``PostgresStore`` on a fresh database, its pool running until the store is removed.
    static func makeStore() async throws -> TestStore {
        let admin = try PostgresStoreConfiguration(url: try await serverURL.value, limits: limits)
        let name = "cardex_contract_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await onServer(admin, "CREATE DATABASE \(name)")
        var configuration = admin
        configuration.database = name
        let pool = try PostgresConnectionPool(configuration: configuration, logger: logger)
        let running = Task { await pool.run() }
        let remove: @Sendable () async -> Void = {
            running.cancel()
            await running.value
            try? await onServer(admin, "DROP DATABASE \(name) WITH (FORCE)")
        }
        do {
            return TestStore(store: try await PostgresStore(pool: pool), remove: remove)
        } catch {
            await remove()
            throw error
        }
    }

    /// Runs one statement (a database's creation or removal) on the server's own database.
    private static func onServer(_ admin: PostgresStoreConfiguration, _ sql: String) async throws {
        let pool = try PostgresConnectionPool(configuration: admin, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await pool.run() }
            defer { group.cancelAll() }
            try await pool.withConnection { try await $0.query(PostgresQuery(unsafeSQL: sql), logger: logger) }
        }
    }

    /// `scripts/postgres.sh start`, owned by this process; returns the server's URL.
    private static func startCluster() async throws -> String {
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = repository.appendingPathComponent("scripts/postgres.sh")
        process.arguments = ["start", "--owner-pid", "\(ProcessInfo.processInfo.processIdentifier)"]
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
            throw ContractPostgresError(
                description: "scripts/postgres.sh start failed (status \(status)): run scripts/bootstrap.sh, or set CARDEX_TEST_POSTGRES_URL")
        }
        return url
    }
}

struct ContractPostgresError: Error, CustomStringConvertible {
    let description: String
}
