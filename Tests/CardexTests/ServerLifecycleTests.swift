import CardexClient
import CardexProto
import CardexServer
import CardexTestSupport
import Foundation
import FramedRPC
import FramedRPCTestSupport
import Logging
import Testing

@Suite("Server lifecycle")
struct ServerLifecycleTests {
    @Test("a message queued before a restart is delivered after it")
    func outboxSurvivesRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cardex-restart-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let phone = "+15550000051"

        let down = CapturingNotifier(failing: true)
        try await withCardex(dataDirectory: directory, notifier: down) { server in
            _ = try await server.client().registration.requestCode(
                .with {
                    $0.phone = phone
                    $0.purpose = .register
                })
        }
        #expect(down.delivered.isEmpty)

        // Later than the failed attempt's retry time, so the message is due when the server starts.
        let up = CapturingNotifier()
        try await withCardex(dataDirectory: directory, notifier: up, clock: ManualClock(ManualClock().now().addingTimeInterval(60))) { server in
            let code = try await up.code(for: phone)
            // The code still works: the key that hashed it survived the restart too.
            let verified = try await server.client().registration.verifyCode(
                .with {
                    $0.phone = phone
                    $0.code = code
                    $0.purpose = .register
                })
            #expect(verified.created)
        }
    }

    @Test("a failing store answers INTERNAL without its reason, logs the reason, and other calls go on")
    func storeFailure() async throws {
        let (logger, log) = RecordingLogHandler.logger(label: "cardex-test")
        try await withCardex(logger: logger) { server in
            let (client, _) = try await server.signIn("+15550000053")
            _ = try await client.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Ada", .everyone)] })
            try await StoreInspector(server).renameTable("cards", to: "cards_elsewhere")

            let error = await expectRPCError(.internal) { try await client.cards.getMyCard(.init()) }
            #expect(error?.message == "the server failed to answer; the failure is logged")
            let line = try #require(log.lines.first { $0.message == "the store failed" })
            #expect(line.level == .error)
            #expect(line.metadata["status"] == "INTERNAL")
            // The database's own words: SQLite's "no such table", PostgreSQL's 42P01 "does not exist".
            #expect(line.metadata["reason"].map { $0.contains("no such table: cards") || $0.contains("SQLSTATE 42P01") } == true)
            // Calls that do not need the table are served as before.
            _ = try await client.account.getAccount(.init())
        }
    }

    @Test("both database files run in WAL mode with synchronous=FULL", TestDatabase.embeddedOnly)
    func durability() async throws {
        try await withCardex { server in
            let inspector = try StoreInspector(server)
            let modes = try await inspector.queue.read { db in
                try ["main", "accounts"].map { try String.fetchOne(db, sql: "PRAGMA \($0).journal_mode") }
            }
            #expect(modes == ["wal", "wal"])
            // The store's own connections are checked by the store.
            let store = try await CardexSQLiteProbe.open(server.configuration.databasePath)
            let settings = try await store.durabilitySettings()
            #expect(settings.journalMode == "wal" && settings.synchronous == 2)
        }
    }

    @Test("with no certificate configured the server makes a development one that clients can trust")
    func developmentCertificate() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cardex-devcert-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withCardex(transport: .tls, dataDirectory: directory, configure: { $0.certificate = .development }) { server in
            let authority = try #require(server.running.trustRootPath)
            #expect(authority.hasPrefix(directory))
            let (client, _) = try await server.signIn("+15550000052")
            _ = try await client.account.getAccount(.init())
            let key = try FileManager.default.attributesOfItem(atPath: directory + "/dev-server-key.pem")
            #expect((key[.posixPermissions] as? Int) == 0o600)
        }
    }
}
