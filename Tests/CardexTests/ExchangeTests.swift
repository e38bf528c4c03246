import CardexClient
import CardexProto
import FramedRPC
import FramedRPCTestSupport
import Testing

/// Exchange (patent CN103067478A claim 5): adding a number to my address book sends my card when
/// "auto-send my card" is on. Also the address book's update call it rides on.
@Suite("Exchange and address-book updates")
struct ExchangeTests {
    static func entry(_ id: String, _ name: String, _ phones: [String]) -> Cardex_V1_BookEntry {
        .with {
            $0.clientEntryID = id
            $0.name = name
            $0.phones = phones
        }
    }

    @Test("with auto-send on, adding B's number shares my card with B, once; with it off nothing is sent")
    func exchangeOnAddingANumber() async throws {
        try await withCardex { server in
            let (alice, aliceID) = try await SharingTests.sender(server)
            let (bob, _) = try await server.signIn("+15550003001")
            let watcher = try await EventWatcher.open(bob)

            let off = try await alice.book.updateBook(.with { $0.upserts = [Self.entry("1", "Bob", ["555-000-3001"])] })
            #expect(off.added == 1 && off.cardSentTo.isEmpty)
            #expect(try await bob.shares.listInbox(.init()).items.isEmpty)

            _ = try await alice.account.updateSettings(.with { $0.autoSendCard = true })
            let on = try await alice.book.updateBook(
                .with {
                    $0.upserts = [Self.entry("2", "Bob at work", ["+1 555 000 3001"]), Self.entry("3", "Carol", ["+15550003002", "12"])]
                })
            #expect(on.added == 2)
            // Bob's number was already in the book: only Carol's is new. Carol is not registered yet.
            #expect(on.cardSentTo == ["+15550003002"])
            #expect(try await StoreInspector(server).outboxKinds(to: "+15550003002") == ["invitation"])

            let fresh = try await alice.book.updateBook(.with { $0.upserts = [Self.entry("4", "Bobby", ["+15550003003"])] })
            #expect(fresh.cardSentTo == ["+15550003003"])
            _ = try await alice.book.updateBook(.with { $0.removals = ["1", "2"] })
            let readded = try await alice.book.updateBook(.with { $0.upserts = [Self.entry("1", "Bob", ["555-000-3001"])] })
            #expect(readded.cardSentTo == ["+15550003001"])
            let received = try #require(try await watcher.waitForEvents(1).first).shareReceived
            #expect(received.shared.userID == aliceID)
            #expect(SharingTests.values(received.shared) == ["Ada Lovelace", "+15550001000", "ada@example.com"])

            // Sent once: a retried or repeated add does not share again.
            let again = try await alice.book.updateBook(.with { $0.upserts = [Self.entry("5", "Bob again", ["+15550003001"])] })
            #expect(again.cardSentTo.isEmpty)
            #expect(try await bob.shares.listInbox(.init()).items.count == 1)
            await watcher.close()
        }
    }

    @Test("an update is idempotent per client entry id; removals count; a malformed entry stores nothing")
    func idempotentUpdates() async throws {
        try await withCardex { server in
            let (alice, _) = try await server.signIn("+15550003011")
            let request = Cardex_V1_UpdateBookRequest.with { $0.upserts = [Self.entry("a", "Ann", ["+15550003012"]), Self.entry("b", "Ben", [])] }
            let first = try await alice.book.updateBook(request)
            #expect(first.added == 2)
            let retried = try await alice.book.updateBook(request)
            #expect(retried.added == 0 && retried.unchanged == 2 && retried.changed == 0)
            let changed = try await alice.book.updateBook(
                .with {
                    $0.upserts = [Self.entry("a", "Ann B", ["+15550003012"])]
                    $0.removals = ["b", "unknown"]
                })
            #expect(changed.changed == 1 && changed.removed == 1)

            await expectRPCError(.invalidArgument) {
                try await alice.book.updateBook(.with { $0.upserts = [Self.entry("c", "Cy", []), Self.entry("", "No id", [])] })
            }
            #expect(try await StoreInspector(server).rowCount("book_entries") == 1)
        }
    }

    @Test("a book past its size limit is RESOURCE_EXHAUSTED and keeps what it had")
    func sizeLimit() async throws {
        try await withCardex(configure: { $0.bookLimits.maxEntries = 2 }) { server in
            let (alice, _) = try await server.signIn("+15550003021")
            _ = try await alice.book.updateBook(.with { $0.upserts = [Self.entry("a", "A", []), Self.entry("b", "B", [])] })
            await expectRPCError(.resourceExhausted) {
                try await alice.book.updateBook(.with { $0.upserts = [Self.entry("c", "C", [])] })
            }
            #expect(try await StoreInspector(server).rowCount("book_entries") == 2)
        }
    }
}
