import CardexClient
import CardexCore
import CardexProto
import Foundation
import FramedRPC
import FramedRPCTestSupport
import Testing

/// `cardex serve --metrics`: a real HTTP client scrapes the endpoint after known traffic and finds
/// the numbers that traffic makes, from FramedRPC (calls by method and status, durations,
/// connections, bytes) and from Cardex (codes, verifications, lookups, events, notifications,
/// the outbox).
@Suite("Metrics")
struct MetricsTests {
    static let requestCode = "/cardex.v1.RegistrationService/RequestCode"
    static let verifyCode = "/cardex.v1.RegistrationService/VerifyCode"
    static let discover = "/cardex.v1.LookupService/Discover"

    /// Scrapes until `done` holds (counts made after a response is sent land a moment later), or
    /// returns the last scrape after 5 s.
    static func scrape(_ server: CardexTestServer, until done: (Scrape) -> Bool = { _ in true }) async throws -> Scrape {
        let port = try #require(server.running.metricsPort)
        var scrape = try await Scrape.get(port: port)
        for _ in 0..<100 where !done(scrape) {
            try await Task.sleep(for: .milliseconds(50))
            scrape = try await Scrape.get(port: port)
        }
        return scrape
    }

    @Test("after known traffic, a scrape shows its calls, codes, lookups, events, deliveries and queue")
    func knownTraffic() async throws {
        // Over TLS: the scrape counts connections and bytes.
        try await withCardex(
            transport: .tls,
            configure: {
                $0.metrics = .init(port: 0)
                $0.lookup.perAccount = BudgetRule(burst: 2, refillPerHour: 0)
            }
        ) { server in
            let (alice, _) = try await SharingTests.sender(server, "+15550009001")
            let (bob, _) = try await server.signIn("+15550009002")
            // A third code, answered wrongly once.
            let stranger = try server.client()
            let before = server.notifier.delivered.count
            _ = try await stranger.registration.requestCode(
                .with {
                    $0.phone = "+15550009003"
                    $0.purpose = .register
                })
            let code = try await server.notifier.code(for: "+15550009003", amongDeliveredAfter: before)
            let wrong = String(code.map { $0 == "9" ? "0" : Character(String($0.wholeNumberValue! + 1)) })
            await expectRPCError(.permissionDenied) {
                try await stranger.registration.verifyCode(
                    .with {
                        $0.phone = "+15550009003"
                        $0.code = wrong
                        $0.purpose = .register
                        $0.deviceName = "x"
                    })
            }
            // Bob's stream gets Alice's share.
            let watcher = try await EventWatcher.open(bob)
            _ = try await SharingTests.share(alice, with: "+15550009002")
            _ = try await watcher.waitForEvents(1)
            let streaming = try await Self.scrape(server) { $0.value("cardex_event_streams") == 1 }
            #expect(streaming.value("cardex_event_streams") == 1)
            // One number looked up (answered: nobody has it), then three refused: the budget holds two.
            await expectRPCError(.notFound) { try await bob.lookup.lookup(.with { $0.phone = "+15550009100" }) }
            await expectRPCError(.resourceExhausted) {
                try await bob.lookup.discover(.with { $0.phones = ["+15550009101", "+15550009102", "+15550009103"] })
            }
            // A path the server does not serve.
            await expectRPCError(.unimplemented) {
                try await bob.rpc.unary(
                    MethodDescriptor(service: "cardex.v1.NoSuchService", method: "Call", kind: .unary),
                    request: Cardex_V1_LookupRequest(), responseType: Cardex_V1_LookupResponse.self)
            }
            await watcher.close()

            let scrape = try await Self.scrape(server) {
                $0.value("cardex_event_streams") == 0
                    && $0.value("cardex_notifications_delivered_total", ["adapter": "CapturingNotifier"]) == 3
            }
            #expect(scrape.status == 200)
            #expect(scrape.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
            // FramedRPC: calls by method and status code, durations, connections, bytes.
            #expect(scrape.value("framedrpc_server_calls_started_total", ["method": Self.requestCode]) == 3)
            #expect(scrape.value("framedrpc_server_calls_finished_total", ["method": Self.requestCode, "code": "OK"]) == 3)
            #expect(scrape.value("framedrpc_server_calls_finished_total", ["method": Self.verifyCode, "code": "OK"]) == 2)
            #expect(scrape.value("framedrpc_server_calls_finished_total", ["method": Self.verifyCode, "code": "PERMISSION_DENIED"]) == 1)
            #expect(scrape.value("framedrpc_server_call_duration_seconds_count", ["method": Self.verifyCode]) == 3)
            #expect(scrape.value("framedrpc_server_calls_finished_total", ["method": Self.discover, "code": "RESOURCE_EXHAUSTED"]) == 1)
            #expect(scrape.value("framedrpc_server_calls_finished_total", ["method": "other", "code": "UNIMPLEMENTED"]) == 1)
            #expect(scrape.value("framedrpc_server_calls_finished_total", ["method": "/cardex.v1.NoSuchService/Call", "code": "UNIMPLEMENTED"]) == nil)
            #expect(scrape.value("framedrpc_server_calls_active") == 0)
            #expect((scrape.value("framedrpc_server_connections") ?? 0) >= 1)
            #expect((scrape.value("framedrpc_server_received_bytes_total") ?? 0) > 0)
            #expect((scrape.value("framedrpc_server_sent_bytes_total") ?? 0) > 0)
            // Cardex: codes, verifications, lookups, events, deliveries.
            #expect(scrape.value("cardex_verification_codes_sent_total") == 3)
            #expect(scrape.value("cardex_verification_failures_total") == 1)
            #expect(scrape.value("cardex_lookups_total", ["outcome": "answered"]) == 1)
            #expect(scrape.value("cardex_lookups_total", ["outcome": "refused"]) == 3)
            #expect((scrape.value("cardex_events_appended_total") ?? 0) >= 1)
            #expect((scrape.value("cardex_events_pushed_total") ?? 0) >= 1)
            #expect(scrape.value("cardex_notification_failures_total", ["adapter": "CapturingNotifier"]) == 0)
            #expect(scrape.value("cardex_outbox_pending") == 0)

            // A gateway that fails: the attempt is counted and the code waits in the outbox.
            server.notifier.setFailing(true)
            _ = try await stranger.registration.requestCode(
                .with {
                    $0.phone = "+15550009004"
                    $0.purpose = .register
                })
            let failing = try await Self.scrape(server) {
                ($0.value("cardex_notification_failures_total", ["adapter": "CapturingNotifier"]) ?? 0) >= 1
            }
            #expect((failing.value("cardex_notification_failures_total", ["adapter": "CapturingNotifier"]) ?? 0) >= 1)
            #expect(failing.value("cardex_outbox_pending") == 1)
        }
    }

    @Test("the endpoint answers only GET /metrics; without --metrics there is none")
    func endpoint() async throws {
        try await withCardex(configure: { $0.metrics = .init(port: 0) }) { server in
            let port = try #require(server.running.metricsPort)
            #expect(try await Scrape.get(port: port, path: "/").status == 404)
            #expect(try await Scrape.get(port: port, path: "/metrics?x=1").status == 200)
            #expect(try await Scrape.get(port: port, method: .POST).status == 405)
        }
        try await withCardex { server in
            #expect(server.running.metricsPort == nil)
        }
    }
}
