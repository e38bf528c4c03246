import CardexClient
import CardexProto
import FramedRPC
import FramedRPCTestSupport
import Testing

/// Sharing by the recipient's state: the five application scenarios of patent CN102752392A
/// ([0063]–[0090]), then consent (accept, decline, revoke) and what a recipient may see.
@Suite("Sharing")
struct SharingTests {
    static let senderCard: [Cardex_V1_CardField] = [
        CardTests.field(.name, "Ada Lovelace", .contacts),
        CardTests.field(.phone, "+15550001000", .contacts),
        CardTests.field(.email, "ada@example.com", .contacts),
        CardTests.field(.note, "private", .onlyMe),
    ]

    /// Signs in a sender with ``senderCard``.
    static func sender(_ server: CardexTestServer, _ phone: String = "+15550001000") async throws -> (CardexClient, String) {
        let (client, me) = try await server.signIn(phone)
        _ = try await client.cards.setCard(.with { $0.card.fields = senderCard })
        return (client, me.userID)
    }

    static func share(
        _ client: CardexClient, with phone: String, fields: [Cardex_V1_FieldKind] = []
    ) async throws -> String {
        let response = try await client.shares.shareCard(
            .with {
                $0.recipients = [.with { $0.phone = phone }]
                $0.fields = fields.map { kind in .with { $0.kind = kind } }
            })
        return try #require(response.shareIds.first)
    }

    static func values(_ card: Cardex_V1_SharedCard) -> [String] {
        card.card.fields.map(\.value)
    }

    // MARK: - The five recipient states

    @Test("scenario 1: an unregistered number gets an invitation; the share waits and is delivered on registration")
    func unregisteredRecipient() async throws {
        try await withCardex { server in
            let (alice, _) = try await Self.sender(server)
            let id = try await Self.share(alice, with: "+15550001001", fields: [.name])
            #expect(try await StoreInspector(server).outboxKinds(to: "+15550001001") == ["invitation"])

            let (bob, _) = try await server.signIn("+15550001001")
            let inbox = try await bob.shares.listInbox(.init()).items
            #expect(inbox.map(\.itemID) == [id])
            #expect(inbox.first.map { Self.values($0.shared) } == ["Ada Lovelace"])
            let accepted = try await bob.shares.acceptShare(.with { $0.itemID = id })
            #expect(Self.values(accepted.card) == ["Ada Lovelace"])
        }
    }

    @Test("scenario 2: registered, cloud address book on, offline: into the inbox, and a notice is sent")
    func offlineRecipient() async throws {
        try await withCardex { server in
            let (alice, _) = try await Self.sender(server)
            let (bob, _) = try await server.signIn("+15550001002")
            let id = try await Self.share(alice, with: "+15550001002")
            #expect(try await StoreInspector(server).outboxKinds(to: "+15550001002") == ["verification_code", "notice"])
            #expect(try await bob.shares.listInbox(.init()).items.map(\.itemID) == [id])
            // A device coming online later finds the item in its event log too.
            let watcher = try await EventWatcher.open(bob, after: 0)
            #expect(try await watcher.waitForEvents(1).first?.shareReceived.itemID == id)
            await watcher.close()
        }
    }

    @Test("scenario 3: registered, cloud address book off, offline: a notice to turn it on; the share waits until then")
    func cloudOffOfflineRecipient() async throws {
        try await withCardex { server in
            let (alice, _) = try await Self.sender(server)
            let (bob, _) = try await server.signIn("+15550001003")
            _ = try await bob.account.updateSettings(.with { $0.cloudAddressBook = false })
            let id = try await Self.share(alice, with: "+15550001003")
            #expect(try await StoreInspector(server).outboxKinds(to: "+15550001003") == ["verification_code", "notice"])
            #expect(try await bob.shares.listInbox(.init()).items.isEmpty)

            _ = try await bob.account.updateSettings(.with { $0.cloudAddressBook = true })
            #expect(try await bob.shares.listInbox(.init()).items.map(\.itemID) == [id])
        }
    }

    @Test("scenario 4: registered, on, online: pushed on the event stream at once, kept in the inbox, no notice")
    func onlineRecipient() async throws {
        try await withCardex { server in
            let (alice, aliceID) = try await Self.sender(server)
            let (bob, _) = try await server.signIn("+15550001004")
            let watcher = try await EventWatcher.open(bob)
            let id = try await Self.share(alice, with: "+15550001004", fields: [.name, .phone])

            let event = try #require(try await watcher.waitForEvents(1).first)
            #expect(event.shareReceived.itemID == id)
            #expect(event.shareReceived.shared.userID == aliceID)
            #expect(Self.values(event.shareReceived.shared) == ["Ada Lovelace", "+15550001000"])
            #expect(try await StoreInspector(server).outboxKinds(to: "+15550001004") == ["verification_code"])
            #expect(try await bob.shares.listInbox(.init()).items.map(\.itemID) == [id])
            await watcher.close()
        }
    }

    @Test("scenario 5: registered, cloud address book off, online: told on the stream and by notice; the share waits")
    func cloudOffOnlineRecipient() async throws {
        try await withCardex { server in
            let (alice, _) = try await Self.sender(server)
            let (bob, _) = try await server.signIn("+15550001005")
            _ = try await bob.account.updateSettings(.with { $0.cloudAddressBook = false })
            let watcher = try await EventWatcher.open(bob)
            _ = try await Self.share(alice, with: "+15550001005")

            #expect(try await watcher.waitForEvents(1).first?.sharesWaiting.count == 1)
            #expect(try await StoreInspector(server).outboxKinds(to: "+15550001005") == ["verification_code", "notice"])
            #expect(try await bob.shares.listInbox(.init()).items.isEmpty)
            _ = try await bob.account.updateSettings(.with { $0.cloudAddressBook = true })
            #expect(try await watcher.waitForEvents(2).last?.shareReceived.shared.card.fields.isEmpty == false)
            await watcher.close()
        }
    }

    // MARK: - Consent

    @Test("accepting puts the card in my address book; the sender sees it accepted")
    func accept() async throws {
        try await withCardex { server in
            let (alice, aliceID) = try await Self.sender(server)
            let (bob, bobID) = try await server.signIn("+15550001011")
            let aliceWatcher = try await EventWatcher.open(alice)
            let id = try await Self.share(alice, with: "+15550001011", fields: [.name])
            #expect(try await alice.shares.listShares(.init()).shares.map(\.status) == [.notAccepted])

            _ = try await bob.shares.acceptShare(.with { $0.itemID = id })
            #expect(try await bob.shares.listInbox(.init()).items.isEmpty)
            #expect(try await bob.shares.listSharedWithMe(.init()).cards.map(\.userID) == [aliceID])
            #expect(try await bob.cards.getCard(.with { $0.userID = aliceID }).card.fields.map(\.value) == ["Ada Lovelace"])
            let shares = try await alice.shares.listShares(.init()).shares
            #expect(shares.map(\.status) == [.accepted])
            #expect(shares.first?.recipient.phone == "+15550001011")
            let told = try #require(try await aliceWatcher.waitForEvents(1).first)
            #expect(told.shareAccepted.shareID == id && told.shareAccepted.userID == bobID.userID)
            await aliceWatcher.close()
        }
    }

    @Test("declining deletes the item; the sender still sees only 'not accepted' and the recipient sees nothing")
    func decline() async throws {
        try await withCardex { server in
            let (alice, aliceID) = try await Self.sender(server)
            let (bob, _) = try await server.signIn("+15550001012")
            let aliceWatcher = try await EventWatcher.open(alice)
            let id = try await Self.share(alice, with: "+15550001012")
            _ = try await bob.shares.declineShare(.with { $0.itemID = id })

            #expect(try await bob.shares.listInbox(.init()).items.isEmpty)
            #expect(try await bob.shares.listSharedWithMe(.init()).cards.isEmpty)
            await expectRPCError(.notFound) { try await bob.cards.getCard(.with { $0.userID = aliceID }) }
            await expectRPCError(.notFound) { try await bob.shares.acceptShare(.with { $0.itemID = id }) }
            #expect(try await alice.shares.listShares(.init()).shares.map(\.status) == [.notAccepted])
            // The sender is told nothing: the first event she receives is a later acceptance.
            let (carol, carolID) = try await server.signIn("+15550001019")
            let toCarol = try await Self.share(alice, with: "+15550001019")
            _ = try await carol.shares.acceptShare(.with { $0.itemID = toCarol })
            let events = try await aliceWatcher.waitForEvents(1)
            #expect(events.count == 1 && events[0].shareAccepted.userID == carolID.userID)
            await aliceWatcher.close()
        }
    }

    @Test("after a revoke the recipient gets no new versions and can no longer read the shared fields")
    func revoke() async throws {
        try await withCardex { server in
            let (alice, aliceID) = try await Self.sender(server)
            let (bob, _) = try await server.signIn("+15550001013")
            let id = try await Self.share(alice, with: "+15550001013", fields: [.name, .email])
            _ = try await bob.shares.acceptShare(.with { $0.itemID = id })
            let watcher = try await EventWatcher.open(bob)

            _ = try await alice.shares.revokeShare(.with { $0.shareID = id })
            #expect(try await watcher.waitForEvents(1).first?.accessRemoved.userID == aliceID)
            await expectRPCError(.notFound) { try await bob.cards.getCard(.with { $0.userID = aliceID }) }
            #expect(try await bob.shares.listSharedWithMe(.init()).cards.isEmpty)
            #expect(try await alice.shares.listShares(.init()).shares.isEmpty)
            await expectRPCError(.notFound) { try await alice.shares.revokeShare(.with { $0.shareID = id }) }

            _ = try await alice.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Ada King", .contacts)] })
            // The next event Bob gets is a new share's, not the card update.
            let again = try await Self.share(alice, with: "+15550001013", fields: [.name])
            let events = try await watcher.waitForEvents(2)
            #expect(events.count == 2 && events[1].shareReceived.itemID == again)
            await watcher.close()
        }
    }

    @Test("a field the sender did not share, or marked only-me, never reaches the recipient by any path")
    func unsharedFieldsNeverReachTheRecipient() async throws {
        try await withCardex { server in
            let (alice, aliceID) = try await Self.sender(server)
            let (bob, _) = try await server.signIn("+15550001014")
            let watcher = try await EventWatcher.open(bob)
            let id = try await Self.share(alice, with: "+15550001014", fields: [.name, .note])

            let pushed = try await watcher.waitForEvents(1)[0].shareReceived.shared
            let listed = try #require(try await bob.shares.listInbox(.init()).items.first).shared
            let accepted = try await bob.shares.acceptShare(.with { $0.itemID = id }).card
            let read = try await bob.cards.getCard(.with { $0.userID = aliceID })
            let held = try #require(try await bob.shares.listSharedWithMe(.init()).cards.first)
            for view in [pushed, listed, accepted, held] {
                #expect(Self.values(view) == ["Ada Lovelace"])
                #expect(view.card.fields.allSatisfy { !$0.hasAudience })
            }
            #expect(read.card.fields.map(\.value) == ["Ada Lovelace"])

            // A whole-card share grants the contacts fields, never the only-me note.
            let whole = try await Self.share(alice, with: "+15550001014")
            let wholeCard = try await bob.shares.acceptShare(.with { $0.itemID = whole }).card
            #expect(Self.values(wholeCard) == ["Ada Lovelace", "+15550001000", "ada@example.com"])
            await watcher.close()
        }
    }

    @Test("a card update reaches an online holder with only the fields it may see, and only when they changed")
    func updatesArePushedLimitedToAllowedFields() async throws {
        try await withCardex { server in
            let (alice, aliceID) = try await Self.sender(server)
            let (bob, _) = try await server.signIn("+15550001015")
            let id = try await Self.share(alice, with: "+15550001015", fields: [.name])
            _ = try await bob.shares.acceptShare(.with { $0.itemID = id })
            let watcher = try await EventWatcher.open(bob)

            var card = Self.senderCard
            card[2] = CardTests.field(.email, "ada@new.example", .contacts)  // not shared: no event
            _ = try await alice.cards.setCard(.with { $0.card.fields = card })
            card[0] = CardTests.field(.name, "Ada King", .contacts)
            let saved = try await alice.cards.setCard(.with { $0.card.fields = card })

            let update = try #require(try await watcher.waitForEvents(1).first).cardUpdated
            #expect(update.userID == aliceID)
            #expect(Self.values(update) == ["Ada King"])
            #expect(update.version.version == saved.version.version)
            #expect(watcher.events.count == 1)
            await watcher.close()
        }
    }

    @Test("forwarding an address-book entry: accepting adds a copy to my book; it grants nothing of the sender's card")
    func forwardEntry() async throws {
        try await withCardex { server in
            let (alice, aliceID) = try await Self.sender(server)
            let (bob, _) = try await server.signIn("+15550001051")
            _ = try await alice.book.updateBook(
                .with {
                    $0.upserts = [ExchangeTests.entry("dentist", "Dr. Who", ["+15550001059"])]
                })
            await expectRPCError(.notFound) {
                try await alice.shares.forwardEntry(
                    .with {
                        $0.clientEntryID = "nobody"
                        $0.recipients = [.with { $0.phone = "+15550001051" }]
                    })
            }
            let id = try #require(
                try await alice.shares.forwardEntry(
                    .with {
                        $0.clientEntryID = "dentist"
                        $0.recipients = [.with { $0.phone = "+15550001051" }]
                    }
                ).shareIds.first)

            let item = try #require(try await bob.shares.listInbox(.init()).items.first)
            #expect(item.itemID == id && item.forwardedEntry.name == "Dr. Who" && item.forwardedEntry.phones == ["+15550001059"])
            #expect(item.shared.userID == aliceID && item.shared.card.fields.isEmpty)
            let accepted = try await bob.shares.acceptShare(.with { $0.itemID = id })
            #expect(accepted.addedEntry.name == "Dr. Who" && accepted.card.card.fields.isEmpty)
            #expect(try await StoreInspector(server).rowCount("book_entries") == 2)
            await expectRPCError(.notFound) { try await bob.cards.getCard(.with { $0.userID = aliceID }) }
            #expect(try await bob.shares.listSharedWithMe(.init()).cards.isEmpty)
            let shares = try await alice.shares.listShares(.init()).shares
            #expect(shares.map(\.forwardedEntryID) == ["dentist"] && shares.map(\.status) == [.accepted])
        }
    }

    // MARK: - Bad input

    @Test("sharing with an invalid number or with oneself is INVALID_ARGUMENT and stores nothing")
    func invalidRecipients() async throws {
        try await withCardex { server in
            let (alice, aliceID) = try await Self.sender(server)
            for person: Cardex_V1_Person in [
                .with { $0.phone = "12ab" }, .with { $0.phone = "+15550001000" }, .with { $0.userID = aliceID },
                .with { $0.userID = "not-a-uuid" }, Cardex_V1_Person(),
            ] {
                await expectRPCError(.invalidArgument) {
                    try await alice.shares.shareCard(.with { $0.recipients = [.with { $0.phone = "+15550001021" }, person] })
                }
            }
            await expectRPCError(.invalidArgument) { try await alice.shares.shareCard(.init()) }
            await expectRPCError(.invalidArgument) {
                try await alice.shares.shareCard(
                    .with {
                        $0.recipients = [.with { $0.phone = "+15550001021" }]
                        $0.fields = [.init()]
                    })
            }
            #expect(try await alice.shares.listShares(.init()).shares.isEmpty)
            #expect(try await StoreInspector(server).outboxKinds(to: "+15550001021").isEmpty)
        }
    }

    @Test("one person cannot accept, decline or list another person's inbox items: NOT_FOUND")
    func foreignInboxItems() async throws {
        try await withCardex { server in
            let (alice, _) = try await Self.sender(server)
            let (bob, _) = try await server.signIn("+15550001031")
            let (mallory, _) = try await server.signIn("+15550001032")
            let id = try await Self.share(alice, with: "+15550001031")

            #expect(try await mallory.shares.listInbox(.init()).items.isEmpty)
            await expectRPCError(.notFound) { try await mallory.shares.acceptShare(.with { $0.itemID = id }) }
            await expectRPCError(.notFound) { try await mallory.shares.declineShare(.with { $0.itemID = id }) }
            await expectRPCError(.notFound) { try await mallory.shares.revokeShare(.with { $0.shareID = id }) }
            await expectRPCError(.notFound) { try await alice.shares.acceptShare(.with { $0.itemID = id }) }
            #expect(try await bob.shares.listInbox(.init()).items.map(\.itemID) == [id])
        }
    }

    @Test("a share with everyone makes the chosen fields readable by anyone signed in, without an inbox")
    func shareWithEveryone() async throws {
        try await withCardex { server in
            let (alice, aliceID) = try await Self.sender(server)
            let (bob, _) = try await server.signIn("+15550001041")
            await expectRPCError(.notFound) { try await bob.cards.getCard(.with { $0.userID = aliceID }) }
            _ = try await alice.shares.shareCard(
                .with {
                    $0.everyone = true
                    $0.fields = [.with { $0.kind = .name }]
                })
            #expect(try await bob.cards.getCard(.with { $0.userID = aliceID }).card.fields.map(\.value) == ["Ada Lovelace"])
            #expect(try await bob.shares.listInbox(.init()).items.isEmpty)
            #expect(try await alice.shares.listShares(.init()).shares.map(\.status) == [.public])
        }
    }
}
