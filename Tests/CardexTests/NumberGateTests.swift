import CardexClient
import CardexCore
import CardexProto
import FramedRPC
import FramedRPCTestSupport
import Testing

/// Every call that maps a phone number to a person passes one gate: the lookup budgets, the
/// owner's "who may find me" and what the caller may see. An attack run spent an account's
/// budget, then went on through QueryUpdate by number, which checked neither.
@Suite("One gate from a number to a person")
struct NumberGateTests {
    /// A call that finds a person by number.
    enum Path: String, CaseIterable, CustomTestStringConvertible {
        case lookup, discover, getCard, queryUpdate
        /// QueryUpdate by a number and a local name: finds a person through an earlier number.
        case queryUpdateByName

        var testDescription: String { rawValue }

        /// Whether the call, asking about `phone` (with `name` where it takes one), found `owner`.
        func finds(_ caller: CardexClient, _ phone: String, name: String, owner: String) async throws -> Bool {
            switch self {
            case .lookup:
                do { return try await caller.lookup.lookup(.with { $0.phone = phone }).userID == owner } catch let error as RPCError
                    where error.code == .notFound
                { return false }
            case .discover:
                return try await caller.lookup.discover(.with { $0.phones = [phone] }).found.map(\.userID) == [owner]
            case .getCard:
                do { return try await caller.cards.getCard(.with { $0.phone = phone }).userID == owner } catch let error as RPCError
                    where error.code == .notFound
                { return false }
            case .queryUpdate, .queryUpdateByName:
                let answers = try await caller.sync.queryUpdate(
                    .with {
                        $0.items = [
                            .with {
                                $0.person.phone = phone
                                if self == .queryUpdateByName { $0.localName = name }
                            }
                        ]
                    }
                ).answers
                return answers.map(\.result) == [.updated] && answers[0].card.userID == owner
            }
        }

        /// Whether the owner's setting is read as caller ID (people who know the owner find them
        /// even under NOBODY) rather than as discovery.
        var isCallerID: Bool { self == .lookup || self == .getCard }
    }

    /// Nora: a public name, discoverable as `setting`; she registered at 7501 and moved to 7502,
    /// so `.queryUpdateByName` asks about 7501 under her name and the other paths about 7502.
    static func nora(_ server: CardexTestServer, _ setting: Cardex_V1_Discoverability) async throws -> (CardexClient, String) {
        let (nora, session) = try await server.signIn("+15550007501")
        _ = try await nora.registration.requestCode(
            .with {
                $0.phone = "+15550007502"
                $0.purpose = .changeNumber
            })
        let code = try await server.notifier.code(for: "+15550007502")
        _ = try await nora.registration.verifyCode(
            .with {
                $0.phone = "+15550007502"
                $0.code = code
                $0.purpose = .changeNumber
            })
        _ = try await nora.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Nora", .everyone)] })
        _ = try await nora.account.updateSettings(.with { $0.discoverableBy = setting })
        return (nora, session.userID)
    }

    static func number(for path: Path) -> String { path == .queryUpdateByName ? "+15550007501" : "+15550007502" }

    @Test("a stranger who sees Nora's public card finds her by number only when she lets everyone", arguments: Path.allCases)
    func strangers(_ path: Path) async throws {
        try await withCardex { server in
            let (nora, noraID) = try await Self.nora(server, .nobody)
            let (stranger, _) = try await server.signIn("+15550007510")
            // Her public name is readable by id: the gate is about finding her by number.
            #expect(try await stranger.cards.getCard(.with { $0.userID = noraID }).card.fields.map(\.value) == ["Nora"])
            #expect(try await !path.finds(stranger, Self.number(for: path), name: "Nora", owner: noraID))
            _ = try await nora.account.updateSettings(.with { $0.discoverableBy = .contacts })
            #expect(try await !path.finds(stranger, Self.number(for: path), name: "Nora", owner: noraID))
            _ = try await nora.account.updateSettings(.with { $0.discoverableBy = .everyone })
            #expect(try await path.finds(stranger, Self.number(for: path), name: "Nora", owner: noraID))
        }
    }

    @Test("a mutual contact finds Nora under CONTACTS; under NOBODY only as caller ID", arguments: Path.allCases)
    func acquaintances(_ path: Path) async throws {
        try await withCardex { server in
            let (nora, noraID) = try await Self.nora(server, .contacts)
            let (friend, _) = try await server.signIn("+15550007520")
            try await MutualContactTests.add(nora, "friend", "+15550007520")
            try await MutualContactTests.add(friend, "nora", "+15550007502")
            #expect(try await path.finds(friend, Self.number(for: path), name: "Nora", owner: noraID))
            _ = try await nora.account.updateSettings(.with { $0.discoverableBy = .nobody })
            #expect(try await path.finds(friend, Self.number(for: path), name: "Nora", owner: noraID) == path.isCallerID)
        }
    }

    @Test("each path pays for new numbers from the account's budget and is refused once it is spent", arguments: Path.allCases)
    func budget(_ path: Path) async throws {
        try await withCardex(configure: { $0.lookup.perAccount = BudgetRule(burst: 3, refillPerHour: 1) }) { server in
            let (prober, _) = try await server.signIn("+15550007530")
            let paid = (1...3).map { "+1555000754\($0)" }
            for phone in paid {
                #expect(try await !path.finds(prober, phone, name: "Someone", owner: ""))
            }
            _ = try await LookupTests.expectExhausted { try await path.finds(prober, "+15550007549", name: "Someone", owner: "") }
            // Numbers already paid for stay free, through any path.
            for phone in paid {
                #expect(try await !Path.lookup.finds(prober, phone, name: "Someone", owner: ""))
            }
        }
    }

    @Test("QueryUpdate pays once for a number named twice and refuses a batch past the budget whole")
    func queryUpdateBatch() async throws {
        try await withCardex(configure: { $0.lookup.perAccount = BudgetRule(burst: 3, refillPerHour: 1) }) { server in
            let (prober, _) = try await server.signIn("+15550007560")
            let (owner, ownerSession) = try await server.signIn("+15550007561")
            let ownerID = ownerSession.userID
            _ = try await owner.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Olga", .everyone)] })
            _ = try await owner.account.updateSettings(.with { $0.discoverableBy = .everyone })
            let items: [Cardex_V1_QueryItem] = ["+15550007561", "+15550007561", "+15550007562"].map { phone in .with { $0.person.phone = phone } }
            let answers = try await prober.sync.queryUpdate(.with { $0.items = items + [.with { $0.person.userID = ownerID }] }).answers
            #expect(answers.map(\.result) == [.updated, .updated, .noResult, .updated])
            // Two numbers paid, one token left: three new numbers are refused, and nothing is paid.
            let tooMany: [Cardex_V1_QueryItem] = ["+15550007563", "+15550007564", "+15550007565"].map { phone in .with { $0.person.phone = phone } }
            _ = try await LookupTests.expectExhausted { try await prober.sync.queryUpdate(.with { $0.items = tooMany }) }
            #expect(try await prober.sync.queryUpdate(.with { $0.items = Array(tooMany.prefix(1)) }).answers.map(\.result) == [.noResult])
        }
    }
}
