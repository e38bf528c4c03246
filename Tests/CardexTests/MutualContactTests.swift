import CardexClient
import CardexProto
import FramedRPC
import FramedRPCTestSupport
import Testing

/// Mutual contacts (patent CN103248655A claim 6): each holds the other's number and both are
/// registered; they then see each other's "contacts" fields.
@Suite("Mutual contacts")
struct MutualContactTests {
    static let card: [Cardex_V1_CardField] = [
        CardTests.field(.name, "Ann", .everyone),
        CardTests.field(.email, "ann@example.com", .contacts),
        CardTests.field(.note, "private", .onlyMe),
    ]

    static func add(_ client: CardexClient, _ id: String, _ phone: String) async throws {
        _ = try await client.book.updateBook(.with { $0.upserts = [ExchangeTests.entry(id, "someone", [phone])] })
    }

    static func visible(_ reader: CardexClient, of owner: String) async throws -> [String] {
        try await reader.cards.getCard(.with { $0.userID = owner }).card.fields.map(\.value)
    }

    @Test("matched on upload: both books hold each other's number; one-sided knowledge is not enough")
    func matchOnUpload() async throws {
        try await withCardex { server in
            let (ann, annID) = try await server.signIn("+15550005001")
            _ = try await ann.cards.setCard(.with { $0.card.fields = Self.card })
            let (bob, bobID) = try await server.signIn("+15550005002")
            let watcher = try await EventWatcher.open(bob)

            try await Self.add(bob, "ann", "+15550005001")
            #expect(try await Self.visible(bob, of: annID.userID) == ["Ann"])  // one-sided: everyone fields only
            try await Self.add(ann, "bob", "555-000-5002")
            #expect(try await Self.visible(bob, of: annID.userID) == ["Ann", "ann@example.com"])
            let update = try #require(try await watcher.waitForEvents(1).first).cardUpdated
            #expect(update.userID == annID.userID && SharingTests.values(update) == ["Ann", "ann@example.com"])

            // Ann's later changes to contacts fields reach Bob; the pair is matched once.
            _ = try await ann.cards.setCard(.with { $0.card.fields = [CardTests.field(.email, "ann@new.example", .contacts)] })
            #expect(try await watcher.waitForEvents(2).last?.cardUpdated.card.fields.map(\.value) == ["ann@new.example"])
            try await Self.add(ann, "bob again", "+15550005002")
            #expect(try await StoreInspector(server).rowCount("mutual_contacts") == 2)

            // Removing the number ends it.
            _ = try await ann.book.updateBook(.with { $0.removals = ["bob", "bob again"] })
            await expectRPCError(.notFound) { try await Self.visible(bob, of: annID.userID) }
            #expect(try await StoreInspector(server).rowCount("mutual_contacts") == 0)
            _ = bobID
            await watcher.close()
        }
    }

    @Test("matched when an account moves to a number the other's book holds")
    func matchOnNumberChange() async throws {
        try await withCardex { server in
            let (ann, annID) = try await server.signIn("+15550005011")
            _ = try await ann.cards.setCard(.with { $0.card.fields = Self.card })
            let (bob, _) = try await server.signIn("+15550005012")
            try await Self.add(ann, "bob", "+15550005013")  // Bob's future number
            try await Self.add(bob, "ann", "+15550005011")
            #expect(try await Self.visible(bob, of: annID.userID) == ["Ann"])

            _ = try await bob.registration.requestCode(
                .with {
                    $0.phone = "+15550005013"
                    $0.purpose = .changeNumber
                })
            let code = try await server.notifier.code(for: "+15550005013")
            _ = try await bob.registration.verifyCode(
                .with {
                    $0.phone = "+15550005013"
                    $0.code = code
                    $0.purpose = .changeNumber
                })
            #expect(try await Self.visible(bob, of: annID.userID) == ["Ann", "ann@example.com"])
        }
    }
}
