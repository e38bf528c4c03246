import CardexClient
import CardexPostgresTestSupport
import Foundation
import FramedRPC
import FramedRPCHealth
import FramedRPCTestSupport
import Synchronization
import Testing

/// `framedrpc.health.v1.Health` on `cardex serve`: what a load balancer's health check asks.
@Suite("Health checks")
struct HealthTests {
    static func health(_ server: CardexTestServer) throws -> Framedrpc_Health_V1_Health.Client {
        .init(wrapping: try server.client().rpc)
    }

    static func check(
        _ health: Framedrpc_Health_V1_Health.Client, _ service: String = ""
    ) async throws
        -> Framedrpc_Health_V1_HealthCheckResponse.ServingStatus
    {
        try await health.check(.with { $0.service = service }).status
    }

    @Test("the server and each of its services are SERVING, without a session; an unknown service is NOT_FOUND")
    func check() async throws {
        try await withCardex { server in
            let health = try Self.health(server)
            #expect(try await Self.check(health) == .serving)
            for service in ["cardex.v1.CardService", "cardex.v1.LookupService", "framedrpc.health.v1.Health"] {
                #expect(try await Self.check(health, service) == .serving)
            }
            await expectRPCError(.notFound) { try await Self.check(health, "cardex.v1.NoSuchService") }
        }
    }

    @Test("Watch says SERVING, then NOT_SERVING once the server stops, and ends UNAVAILABLE; an unknown service is SERVICE_UNKNOWN")
    func watch() async throws {
        try await withCardex { server in
            let health = try Self.health(server)
            let unknown = try await health.watch(.with { $0.service = "cardex.v1.NoSuchService" }) { stream in
                for try await message in stream { return message.status }
                return .unknown
            }
            #expect(unknown == .serviceUnknown)

            let seen = Mutex<[Framedrpc_Health_V1_HealthCheckResponse.ServingStatus]>([])
            let watching = Task {
                try await health.watch(.init()) { stream in
                    for try await message in stream { seen.withLock { $0.append(message.status) } }
                }
            }
            for _ in 0..<500 where seen.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
            #expect(seen.withLock { $0 } == [.serving])
            await server.running.shutdown()
            var ended: (any Error)?
            do { try await watching.value } catch { ended = error }
            #expect(seen.withLock { $0 } == [.serving, .notServing])
            #expect((ended as? RPCError)?.code == .unavailable)
        }
    }

    @Test(
        "on PostgreSQL, NOT_SERVING while the database refuses connections, SERVING again once it answers",
        .enabled(if: TestDatabase.isPostgres, "the embedded SQLite is a file in the process"))
    func databaseDown() async throws {
        try await withCardex(configure: { $0.healthProbeInterval = .milliseconds(200) }) { server in
            guard case .postgres(let database) = server.configuration.database else { return }
            let health = try Self.health(server)
            #expect(try await Self.check(health) == .serving)
            let admin = try await TestPostgres.configuration()
            try await TestPostgres.run("ALTER DATABASE \(database.database) ALLOW_CONNECTIONS false", on: admin)
            // Again on every turn: a connection that was being opened as the database closed can
            // come through the first round.
            let terminate = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database.database)'"
            var status = Framedrpc_Health_V1_HealthCheckResponse.ServingStatus.serving
            for _ in 0..<300 where status != .notServing {  // a probe waits 2 s for an answer; a loaded run, longer
                try await TestPostgres.run(terminate, on: admin)
                try await Task.sleep(for: .milliseconds(100))
                status = try await Self.check(health)
            }
            #expect(status == .notServing)
            try await TestPostgres.run("ALTER DATABASE \(database.database) ALLOW_CONNECTIONS true", on: admin)
            // postgres-nio's pool waits longer after each failed connection attempt (100 ms
            // times 1.25 per attempt, up to a minute): after an outage that a loaded run made
            // long, the next attempt can be most of a minute away.
            let deadline = ContinuousClock.now + .seconds(90)
            while status != .serving, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                status = try await Self.check(health)
            }
            #expect(status == .serving)
        }
    }
}
