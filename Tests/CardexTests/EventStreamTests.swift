import CardexClient
import CardexCore
import CardexProto
import FramedRPC
import FramedRPCTestSupport
import SwiftProtobuf
import Testing

/// The persisted event stream: resume after the last sequence seen, retention, limits.
@Suite("Event stream")
struct EventStreamTests {
    @Test("a device offline during three events receives exactly those three, in order, on resume")
    func resumeAfterOfflineEvents() async throws {
        try await withCardex { server in
            let (alice, _) = try await SharingTests.sender(server)
            let (carol, _) = try await SharingTests.sender(server, "+15550002002")
            let (bob, _) = try await server.signIn("+15550002001")
            let shared = try await SharingTests.share(alice, with: "+15550002001")
            _ = try await bob.shares.acceptShare(.with { $0.itemID = shared })

            let first = try await EventWatcher.open(bob)
            let seen = first.readySeq
            await first.close()

            _ = try await alice.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Ada King", .contacts)] })
            let fromCarol = try await SharingTests.share(carol, with: "+15550002001")
            _ = try await alice.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Ada Byron", .contacts)] })

            let resumed = try await EventWatcher.open(bob, after: seen)
            let events = resumed.events
            #expect(events.map(\.seq) == [seen + 1, seen + 2, seen + 3])
            #expect(SharingTests.values(events[0].cardUpdated) == ["Ada King"])
            #expect(events[1].shareReceived.itemID == fromCarol)
            #expect(SharingTests.values(events[2].cardUpdated) == ["Ada Byron"])
            #expect(resumed.readySeq == seen + 3)

            // Live events continue the sequence without repeats.
            _ = try await alice.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Ada", .contacts)] })
            #expect(try await resumed.waitForEvents(4).map(\.seq) == [seen + 1, seen + 2, seen + 3, seen + 4])
            await resumed.close()
        }
    }

    @Test("two devices of one person both receive each event once")
    func twoDevices() async throws {
        try await withCardex { server in
            let (alice, _) = try await SharingTests.sender(server)
            let (phone, _) = try await server.signIn("+15550002011", device: "phone")
            let (laptop, _) = try await server.signIn("+15550002011", device: "laptop")
            let onPhone = try await EventWatcher.open(phone)
            let onLaptop = try await EventWatcher.open(laptop)
            let id = try await SharingTests.share(alice, with: "+15550002011")
            _ = try await phone.shares.declineShare(.with { $0.itemID = id })

            for watcher in [onPhone, onLaptop] {
                let events = try await watcher.waitForEvents(2)
                #expect(events.count == 2)
                #expect(events[0].shareReceived.itemID == id)
                #expect(events[1].inboxItemRemoved.itemID == id && events[1].inboxItemRemoved.reason == .declined)
                await watcher.close()
            }
        }
    }

    @Test("resuming from before the retention window, or after the newest event, is FAILED_PRECONDITION asking to resync")
    func resync() async throws {
        try await withCardex(configure: { $0.events.retention = .seconds(3600) }) { server in
            let (alice, _) = try await SharingTests.sender(server)
            let (bob, _) = try await server.signIn("+15550002021")
            _ = try await SharingTests.share(alice, with: "+15550002021")
            server.clock.advance(by: 7200)
            _ = try await SharingTests.share(alice, with: "+15550002021", fields: [.name])  // seq 2 withdraws 1, 3 arrives

            let error = await expectRPCError(.failedPrecondition) { try await EventWatcher.open(bob, after: 0) }
            #expect(error?.message.contains("resync") == true)
            let detail = try #require(error?.details.first)
            #expect(detail.typeURL == "type.googleapis.com/cardex.v1.ResyncRequired")
            let resync = try Cardex_V1_ResyncRequired(serializedBytes: detail.value)
            #expect(resync.latestSeq == 3 && resync.oldestAvailableSeq == 2)

            await expectRPCError(.failedPrecondition) { try await EventWatcher.open(bob, after: 99) }
            let resumed = try await EventWatcher.open(bob, after: 1)
            #expect(resumed.events.map(\.seq) == [2, 3])
            await resumed.close()
        }
    }

    @Test("open streams per person are limited; logging out ends the session's stream")
    func limitsAndLogout() async throws {
        try await withCardex(configure: { $0.maxEventStreamsPerUser = 2 }) { server in
            let (bob, _) = try await server.signIn("+15550002031")
            let one = try await EventWatcher.open(bob)
            let two = try await EventWatcher.open(bob)
            await expectRPCError(.resourceExhausted) { try await EventWatcher.open(bob) }
            await two.close()

            _ = try await bob.account.logout(.init())
            try await one.waitForEnd()
            #expect((one.endError as? RPCError)?.code == .unauthenticated)
        }
    }

    @Test("shutting down ends open streams at once with UNAVAILABLE instead of waiting out the grace period")
    func shutdownEndsStreams() async throws {
        // Over TLS: the stream ends on a connection the server is draining.
        try await withCardex(transport: .tls, configure: { $0.shutdownGracePeriod = .seconds(30) }) { server in
            let (bob, _) = try await server.signIn("+15550002051")
            let watcher = try await EventWatcher.open(bob)
            let start = ContinuousClock.now
            // Timed to the stream's end, not to the whole shutdown's (which also waits for the
            // background loops, slower on a loaded machine).
            let stopping = Task { await server.running.shutdown() }
            try await watcher.waitForEnd()
            #expect(ContinuousClock.now - start < .seconds(5))
            #expect((watcher.endError as? RPCError)?.code == .unavailable)
            await stopping.value
        }
    }

    @Test("deleting an account withdraws its card from everyone who held it")
    func deletionWithdraws() async throws {
        try await withCardex { server in
            let (alice, aliceID) = try await SharingTests.sender(server)
            let (bob, _) = try await server.signIn("+15550002041")
            let shared = try await SharingTests.share(alice, with: "+15550002041")
            _ = try await bob.shares.acceptShare(.with { $0.itemID = shared })
            let watcher = try await EventWatcher.open(bob)
            _ = try await alice.account.deleteAccount(.with { $0.confirmPhone = "+15550001000" })
            #expect(try await watcher.waitForEvents(1).first?.accessRemoved.userID == aliceID)
            #expect(try await bob.shares.listSharedWithMe(.init()).cards.isEmpty)
            await watcher.close()
        }
    }
}
