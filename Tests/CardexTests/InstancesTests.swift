import CardexClient
import CardexCore
import CardexPostgresTestSupport
import CardexProto
import Foundation
import FramedRPC
import FramedRPCTestSupport
import Testing

/// Several servers on one PostgreSQL database behave as one service (issue 17). The same
/// properties are checked with `cardex serve` processes by `Tests/cli/instances.sh`.
@Suite("Instances on one database", .enabled(if: TestDatabase.isPostgres, "several instances share a PostgreSQL database"))
struct InstancesTests {
    @Test("events stored through one instance reach a stream open on another: live, each once, in order")
    func eventsCrossInstances() async throws {
        try await withInstances { servers in
            let (first, second) = (servers[0], servers[1])
            let (alice, _) = try await SharingTests.sender(first)
            let (bob, _) = try await second.signIn("+15550017001")
            let watcher = try await EventWatcher.open(bob)
            let start = watcher.readySeq

            let shared = try await SharingTests.share(alice, with: "+15550017001")  // through 1
            #expect(try await watcher.waitForEvents(1).first?.shareReceived.itemID == shared)
            // Accepting through 2 stores two events of Bob's there (the item left the inbox, the
            // card arrived); the two card updates are stored through 1.
            _ = try await bob.shares.acceptShare(.with { $0.itemID = shared })
            for name in ["Ada King", "Ada Byron"] {
                _ = try await alice.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, name, .contacts)] })
            }
            let events = try await watcher.waitForEvents(5)
            try await Task.sleep(for: .milliseconds(200))  // room for a repeat, if one were coming
            #expect(watcher.events.map(\.seq) == Array(start + 1...start + 5))
            #expect(events[1].inboxItemRemoved.itemID == shared)
            #expect(events[3...].map { SharingTests.values($0.cardUpdated) } == [["Ada King"], ["Ada Byron"]])
            await watcher.close()
        }
    }

    @Test("events stored while an instance was not listening reach its streams once it listens again")
    func missedSignalsCostLatencyNotEvents() async throws {
        try await withInstances { servers in
            let (first, second) = (servers[0], servers[1])
            let (alice, _) = try await SharingTests.sender(first)
            let (bob, _) = try await second.signIn("+15550017011")
            let watcher = try await EventWatcher.open(bob)
            let start = watcher.readySeq

            // Every instance's listening connection is cut; the share is stored before they
            // listen again (they wait a second), so no signal of it reaches the second instance.
            guard case .postgres(let database) = second.configuration.database else { throw Unexpected() }
            let cut = try await TestPostgres.run(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'", on: database)
            #expect(cut == 2)
            let shared = try await SharingTests.share(alice, with: "+15550017011")
            #expect(try await watcher.waitForEvents(1).map(\.seq) == [start + 1])
            #expect(watcher.events.first?.shareReceived.itemID == shared)
            await watcher.close()
        }
    }

    @Test("a share to someone online on another instance is pushed without a notice; once that instance stops, it comes with one")
    func presenceCrossesInstances() async throws {
        try await withInstances { servers in
            let (first, second) = (servers[0], servers[1])
            let (alice, _) = try await SharingTests.sender(first)
            let (bob, _) = try await second.signIn("+15550017021")
            let watcher = try await EventWatcher.open(bob)  // on 2: online there from now on
            let inspector = try StoreInspector(first)

            let pushed = try await SharingTests.share(alice, with: "+15550017021")  // decided on 1
            #expect(try await watcher.waitForEvents(1).first?.shareReceived.itemID == pushed)
            #expect(try await inspector.outboxKinds(to: "+15550017021") == ["verification_code"])

            // Stopping, the second instance removes its devices at once (one that dies stops
            // counting when its time runs out: Tests/cli/instances.sh kills one).
            await second.running.shutdown()
            _ = try await SharingTests.share(alice, with: "+15550017021", fields: [.name])
            #expect(try await inspector.outboxKinds(to: "+15550017021") == ["verification_code", "notice"])
        }
    }

    @Test("an instance whose time ran out no longer counts as holding devices")
    func expiredInstance() async throws {
        // Keep-alives every 200 s: none comes between making the time run out and the share,
        // however slow a loaded machine makes the steps between.
        try await withInstances(configure: { $0.instanceExpiry = .seconds(600) }) { servers in
            let (first, second) = (servers[0], servers[1])
            let (alice, _) = try await SharingTests.sender(first)
            let (bob, _) = try await second.signIn("+15550017031")
            let watcher = try await EventWatcher.open(bob)
            let inspector = try StoreInspector(first)
            guard case .postgres(let database) = second.configuration.database else { throw Unexpected() }
            try await TestPostgres.run(
                "UPDATE instances SET expires_at = now() - interval '1 second' WHERE id IN (SELECT instance_id FROM device_presence)", on: database)
            _ = try await SharingTests.share(alice, with: "+15550017031")
            #expect(try await inspector.outboxKinds(to: "+15550017031") == ["verification_code", "notice"])
            #expect(try await watcher.waitForEvents(1).count == 1)  // the log still reaches the stream
            await watcher.close()
        }
    }

    @Test("a lookup budget spent through one instance is spent through the other; a number paid through one costs nothing through the other")
    func budgetsCrossInstances() async throws {
        try await withInstances(configure: {
            $0.lookup.perAccount = BudgetRule(burst: 3, refillPerHour: 0)
            $0.lookup.flushInterval = .milliseconds(100)
        }) { servers in
            let (first, second) = (servers[0], servers[1])
            let (bob, verified) = try await first.signIn("+15550017041")
            let onSecond = try second.client(token: verified.sessionToken)
            // Unknown numbers: NOT_FOUND, and each new one costs a token all the same.
            await expectRPCError(.notFound) { try await LookupTests.lookup(bob, "+15550017101") }
            await expectRPCError(.notFound) { try await LookupTests.lookup(bob, "+15550017102") }
            await expectRPCError(.notFound) { try await LookupTests.lookup(onSecond, "+15550017103") }
            _ = try await LookupTests.expectExhausted { try await LookupTests.lookup(onSecond, "+15550017104") }
            _ = try await LookupTests.expectExhausted { try await LookupTests.lookup(bob, "+15550017105") }

            // Through each, the numbers paid through the other are read again once the budget
            // is short, and cost nothing.
            #expect(try await Self.lookUpPaidElsewhere(onSecond, "+15550017101") == .notFound)
            #expect(try await Self.lookUpPaidElsewhere(bob, "+15550017103") == .notFound)
            _ = try await LookupTests.expectExhausted { try await LookupTests.lookup(onSecond, "+15550017105") }
        }
    }

    /// Looks up `number`, paid for through another instance, until the answer is not
    /// RESOURCE_EXHAUSTED, for up to 30 s, and returns the answer's code: the other instance
    /// saves what it paid for every flush interval (100 ms here), and until it has, the lookup
    /// is refused (which pays for nothing).
    private static func lookUpPaidElsewhere(_ client: CardexClient, _ number: String) async throws -> StatusCode? {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            do {
                _ = try await LookupTests.lookup(client, number)
                return nil
            } catch let error as RPCError where error.code == .resourceExhausted && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            } catch let error as RPCError {
                return error.code
            }
        }
    }

    private struct Unexpected: Error {}
}
