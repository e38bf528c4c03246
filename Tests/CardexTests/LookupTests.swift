import CardexClient
import CardexCore
import CardexProto
import CardexServer
import Foundation
import FramedRPC
import FramedRPCTestSupport
import Testing

/// Caller-ID lookup and contact discovery (patent CN102752392A claim 5, figure 6; SPEC §3.6),
/// with the anti-enumeration budgets.
@Suite("Lookup and discovery")
struct LookupTests {
    /// A card whose only field for strangers is the name (when `public`), with a phone for
    /// contacts and a note for the owner alone.
    static func card(_ name: String, public: Bool) -> [Cardex_V1_CardField] {
        [
            CardTests.field(.name, name, `public` ? .everyone : .contacts),
            CardTests.field(.phone, "+15550009999", .contacts),
            CardTests.field(.note, "private", .onlyMe),
        ]
    }

    static func lookup(_ client: CardexClient, _ phone: String) async throws -> Cardex_V1_LookupResponse {
        try await client.lookup.lookup(.with { $0.phone = phone })
    }

    static func discover(_ client: CardexClient, _ phones: [String]) async throws -> [String] {
        try await client.lookup.discover(.with { $0.phones = phones }).found.map(\.phone)
    }

    /// The RESOURCE_EXHAUSTED of a spent budget, with its retry-after.
    static func expectExhausted<T>(
        sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T
    ) async throws -> Int64? {
        let error = await expectRPCError(.resourceExhausted, sourceLocation: sourceLocation, body)
        return try error.flatMap { try $0.details.first.map { try Cardex_V1_RetryInfo(serializedBytes: $0.value).retryAfterSeconds } }
    }

    @Test("every visibility path finds the person with the fields it allows; no relation is NOT_FOUND")
    func visibilityPaths() async throws {
        try await withCardex { server in
            let (reader, _) = try await server.signIn("+15550007000")

            // Public, and findable by everyone: a stranger sees the everyone fields.
            let (publicOwner, publicID) = try await server.signIn("+15550007001")
            _ = try await publicOwner.cards.setCard(.with { $0.card.fields = Self.card("Pat", public: true) })
            _ = try await publicOwner.account.updateSettings(.with { $0.discoverableBy = .everyone })
            let pat = try await Self.lookup(reader, "555-000-7001")
            #expect(pat.userID == publicID.userID && pat.phone == "+15550007001")
            #expect(pat.card.fields.map(\.value) == ["Pat"])

            // Share: nothing before the reader accepts; the shared fields after.
            let (sharer, sharerID) = try await server.signIn("+15550007002")
            _ = try await sharer.cards.setCard(.with { $0.card.fields = Self.card("Sam", public: false) })
            await expectRPCError(.notFound) { try await Self.lookup(reader, "+15550007002") }
            let item = try await SharingTests.share(sharer, with: "+15550007000", fields: [.name])
            await expectRPCError(.notFound) { try await Self.lookup(reader, "+15550007002") }
            _ = try await reader.shares.acceptShare(.with { $0.itemID = item })
            let sam = try await Self.lookup(reader, "+15550007002")
            #expect(sam.userID == sharerID.userID && sam.card.fields.map(\.value) == ["Sam"])

            // Mutual contacts: the contacts fields.
            let (mutual, _) = try await server.signIn("+15550007003")
            _ = try await mutual.cards.setCard(.with { $0.card.fields = Self.card("Mia", public: false) })
            try await MutualContactTests.add(mutual, "reader", "+15550007000")
            await expectRPCError(.notFound) { try await Self.lookup(reader, "+15550007003") }  // one-sided
            try await MutualContactTests.add(reader, "mia", "+15550007003")
            #expect(try await Self.lookup(reader, "+15550007003").card.fields.map(\.value) == ["Mia", "+15550009999"])

            // A common group: the fields for that group.
            let (member, _) = try await server.signIn("+15550007004")
            let group = try await member.groups.createGroup(.with { $0.name = "Team" }).groupID
            _ = try await member.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Gus", .groups, groups: [group])] })
            await expectRPCError(.notFound) { try await Self.lookup(reader, "+15550007004") }
            _ = try await GroupTests.invite(member, group, [("+15550007000", "")])
            _ = try await GroupTests.acceptOnlyInvitation(reader)
            #expect(try await Self.lookup(reader, "+15550007004").card.fields.map(\.value) == ["Gus"])

            // No relation and nothing public: not found; the private note never shows.
            let (hidden, _) = try await server.signIn("+15550007005")
            _ = try await hidden.cards.setCard(.with { $0.card.fields = Self.card("Hal", public: false) })
            await expectRPCError(.notFound) { try await Self.lookup(reader, "+15550007005") }
            for phone in ["+15550007001", "+15550007002", "+15550007003", "+15550007004"] {
                #expect(try await !Self.lookup(reader, phone).card.fields.map(\.value).contains("private"))
            }
        }
    }

    @Test("a hidden person and an unregistered number give the same answer, by lookup and by GetCard")
    func hiddenAndUnknownAreTheSame() async throws {
        try await withCardex { server in
            let (reader, _) = try await server.signIn("+15550007100")
            let (hidden, _) = try await server.signIn("+15550007101")
            _ = try await hidden.cards.setCard(.with { $0.card.fields = Self.card("Hal", public: false) })
            let (blank, _) = try await server.signIn("+15550007102")  // registered, no card at all
            _ = blank

            func answer(_ call: () async throws -> Void) async -> RPCError? {
                await expectRPCError(.notFound) { try await call() }?.withoutRequestID
            }
            let unknown = await answer { _ = try await Self.lookup(reader, "+15550007199") }
            for phone in ["+15550007101", "+15550007102"] {
                let seen = await answer { _ = try await Self.lookup(reader, phone) }
                #expect(seen?.code == unknown?.code && seen?.message == unknown?.message)
                #expect(seen?.details == unknown?.details && seen?.trailingMetadata == unknown?.trailingMetadata)
            }
            let unknownCard = await answer { _ = try await reader.cards.getCard(.with { $0.phone = "+15550007199" }) }
            let hiddenCard = await answer { _ = try await reader.cards.getCard(.with { $0.phone = "+15550007101" }) }
            #expect(hiddenCard?.message == unknownCard?.message && hiddenCard?.details == unknownCard?.details)
        }
    }

    @Test("discovery honours who may find me: everyone, my contacts, nobody (even mutual contacts)")
    func discoverability() async throws {
        try await withCardex { server in
            let (reader, _) = try await server.signIn("+15550007200")
            var owners: [CardexClient] = []
            for (index, setting) in [Cardex_V1_Discoverability.everyone, .contacts, .nobody].enumerated() {
                let (owner, _) = try await server.signIn("+1555000721\(index)")
                _ = try await owner.cards.setCard(.with { $0.card.fields = Self.card("Owner \(index)", public: true) })
                _ = try await owner.account.updateSettings(.with { $0.discoverableBy = setting })
                owners.append(owner)
            }
            let numbers = ["+15550007210", "555-000-7211", "+15550007212", "+15550007299", "not a number"]
            // A stranger finds only the person who lets everyone find them.
            #expect(try await Self.discover(reader, numbers) == ["+15550007210"])

            // Mutual contacts of all three: "contacts" now admits the reader; "nobody" still does not.
            for (index, owner) in owners.enumerated() {
                try await MutualContactTests.add(owner, "reader", "+15550007200")
                try await MutualContactTests.add(reader, "owner\(index)", "+1555000721\(index)")
            }
            #expect(try await Self.discover(reader, numbers) == ["+15550007210", "555-000-7211"])
            // Caller ID is not discovery: the mutual contact who hides from discovery still shows.
            #expect(try await Self.lookup(reader, "+15550007212").card.fields.map(\.value).contains("Owner 2"))

            await expectRPCError(.invalidArgument) {
                try await Self.discover(reader, Array(repeating: "+15550007210", count: 1001))
            }
        }
    }

    @Test("the account budget stops an enumeration loop, charges nothing for repeats, and refills")
    func accountBudget() async throws {
        try await withCardex(configure: {
            $0.lookup.perAccount = BudgetRule(burst: 5, refillPerHour: 2)
        }) { server in
            let (prober, _) = try await server.signIn("+15550007300")
            let probed = (0..<5).map { "+1555000731\($0)" }
            for phone in probed {
                await expectRPCError(.notFound) { try await Self.lookup(prober, phone) }
            }
            // The loop goes on to a sixth number: refused, with the wait for one token (30 min).
            #expect(try await Self.expectExhausted { try await Self.lookup(prober, "+15550007399") } == 1800)
            // Repeats cost nothing, by lookup and by discovery.
            for phone in probed {
                await expectRPCError(.notFound) { try await Self.lookup(prober, phone) }
            }
            #expect(try await Self.discover(prober, probed).isEmpty)
            // A batch with new numbers beyond the budget is refused whole, and charges nothing.
            #expect(try await Self.expectExhausted { try await Self.discover(prober, probed + ["+15550007398"]) } == 1800)
            // GetCard by number is a lookup too.
            _ = try await Self.expectExhausted { try await prober.cards.getCard(.with { $0.phone = "+15550007397" }) }

            server.clock.advance(by: 1800)
            await expectRPCError(.notFound) { try await Self.lookup(prober, "+15550007399") }
            _ = try await Self.expectExhausted { try await Self.lookup(prober, "+15550007398") }
        }
    }

    @Test("the client-address budget is shared by the accounts calling from one address")
    func addressBudget() async throws {
        try await withCardex(configure: {
            $0.lookup.perAddress = BudgetRule(burst: 4, refillPerHour: 1)
        }) { server in
            let (first, _) = try await server.signIn("+15550007400")
            let (second, _) = try await server.signIn("+15550007401")
            #expect(try await Self.discover(first, ["+15550007410", "+15550007411", "+15550007412"]).isEmpty)
            await expectRPCError(.notFound) { try await Self.lookup(second, "+15550007413") }
            #expect(try await Self.expectExhausted { try await Self.lookup(second, "+15550007414") } == 3600)
        }
    }

    @Test("budgets survive a restart")
    func budgetsSurviveRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cardex-lookup-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let budget: (inout CardexServerConfiguration) -> Void = { $0.lookup.perAccount = BudgetRule(burst: 3, refillPerHour: 1) }
        var session = ""
        try await withCardex(dataDirectory: directory, configure: budget) { server in
            let (prober, signedIn) = try await server.signIn("+15550007500")
            session = signedIn.sessionToken
            for index in 0..<3 {
                await expectRPCError(.notFound) { try await Self.lookup(prober, "+1555000751\(index)") }
            }
        }
        try await withCardex(dataDirectory: directory, configure: budget) { server in
            let prober = try server.client(token: session)
            _ = try await Self.expectExhausted { try await Self.lookup(prober, "+15550007519") }
            await expectRPCError(.notFound) { try await Self.lookup(prober, "+15550007510") }  // paid before the restart
        }
    }

    @Test("a number paid for is free again for 30 days, then costs again")
    func paidNumbersAreForgotten() async throws {
        try await withCardex(configure: {
            $0.lookup.perAccount = BudgetRule(burst: 2, refillPerHour: 1)
            $0.lookup.flushInterval = .milliseconds(50)
        }) { server in
            let (prober, _) = try await server.signIn("+15550007600")
            let (first, second) = ("+15550007610", "+15550007611")
            for phone in [first, second] {
                await expectRPCError(.notFound) { try await Self.lookup(prober, phone) }
            }
            // Saved, under today (before the clock moves: a save is filed under its own day):
            // a batch for the account's budget and one for the address's.
            let inspector = try StoreInspector(server)
            for _ in 0..<500 where try await inspector.rowCount("lookup_paid") < 2 { try await Task.sleep(for: .milliseconds(10)) }

            // 29 days on, the budget has refilled; two new numbers spend it, the old two are free.
            server.clock.advance(by: 29 * 86_400)
            for phone in ["+15550007612", "+15550007613", first, second] {
                await expectRPCError(.notFound) { try await Self.lookup(prober, phone) }
            }
            _ = try await Self.expectExhausted { try await Self.lookup(prober, "+15550007614") }
            try await Task.sleep(for: .milliseconds(500))

            // 32 days after they were paid for, the first two cost again: they spend the refilled budget.
            server.clock.advance(by: 3 * 86_400)
            for phone in [first, second] {
                await expectRPCError(.notFound) { try await Self.lookup(prober, phone) }
            }
            _ = try await Self.expectExhausted { try await Self.lookup(prober, "+15550007615") }
        }
    }

    @Test("paid numbers dropped from memory are read back: a repeat stays free")
    func paidNumbersReadBack() async throws {
        try await withCardex(configure: {
            $0.lookup.perAccount = BudgetRule(burst: 3, refillPerHour: 1)
            $0.lookup.paidNumbersInMemory = 1
            $0.lookup.flushInterval = .milliseconds(50)
        }) { server in
            let (prober, _) = try await server.signIn("+15550007700")
            let (other, _) = try await server.signIn("+15550007701")
            let paid = ["+15550007710", "+15550007711"]
            for phone in paid {
                await expectRPCError(.notFound) { try await Self.lookup(prober, phone) }
            }
            await expectRPCError(.notFound) { try await Self.lookup(other, "+15550007712") }
            server.clock.advance(by: 1)  // the budgets are idle now
            try await Task.sleep(for: .milliseconds(400))  // saved; over the limit of one, idle budgets dropped

            for phone in paid + ["+15550007713"] {
                await expectRPCError(.notFound) { try await Self.lookup(prober, phone) }
            }
            _ = try await Self.expectExhausted { try await Self.lookup(prober, "+15550007714") }
        }
    }
}
