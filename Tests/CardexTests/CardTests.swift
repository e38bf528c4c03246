import CardexClient
import CardexProto
import FramedRPC
import FramedRPCTestSupport
import Testing

@Suite("Cards")
struct CardTests {
    static func field(
        _ kind: Cardex_V1_FieldKind, _ value: String, _ level: Cardex_V1_AudienceLevel, people: [String] = [], groups: [String] = []
    ) -> Cardex_V1_CardField {
        .with {
            $0.kind = kind
            $0.value = value
            $0.audience.level = level
            $0.audience.userIds = people
            $0.audience.groupIds = groups
        }
    }

    @Test("every change bumps the version and etag and keeps the previous version; an identical card changes nothing")
    func versions() async throws {
        try await withCardex { server in
            let (client, _) = try await server.signIn("+15550000031")
            let empty = try await client.cards.getMyCard(.init())
            #expect(empty.version.version == 0 && empty.card.fields.isEmpty)

            let first = try await client.cards.setCard(.with { $0.card.fields = [Self.field(.name, "Ada", .everyone)] })
            #expect(first.version.version == 1 && first.changed)
            server.clock.advance(by: 5)
            let second = try await client.cards.setCard(.with { $0.card.fields = [Self.field(.name, "Ada Lovelace", .everyone)] })
            #expect(second.version.version == 2)
            #expect(second.version.etag != first.version.etag)
            #expect(second.version.updatedAtMs == first.version.updatedAtMs + 5000)
            let same = try await client.cards.setCard(.with { $0.card.fields = [Self.field(.name, "Ada Lovelace", .everyone)] })
            #expect(!same.changed && same.version == second.version)

            let mine = try await client.cards.getMyCard(.init())
            #expect(mine.version == second.version)
            #expect(mine.card.fields.first?.audience.level == .everyone)
            #expect(try await StoreInspector(server).rowCount("card_history") == 1)
        }
    }

    @Test("if_match_etag protects against overwriting a newer edit")
    func ifMatch() async throws {
        try await withCardex { server in
            let (client, _) = try await server.signIn("+15550000032")
            let first = try await client.cards.setCard(.with { $0.card.fields = [Self.field(.name, "Ada", .everyone)] })
            _ = try await client.cards.setCard(.with { $0.card.fields = [Self.field(.name, "Ada L", .everyone)] })
            await expectRPCError(.failedPrecondition) {
                try await client.cards.setCard(
                    .with {
                        $0.card.fields = [Self.field(.name, "Stale", .everyone)]
                        $0.ifMatchEtag = first.version.etag
                    })
            }
            #expect(try await client.cards.getMyCard(.init()).card.fields.first?.value == "Ada L")
        }
    }

    @Test("a stranger never receives an only-me, contacts, groups or someone else's people field")
    func strangerSeesEveryoneFieldsOnly() async throws {
        try await withCardex { server in
            let (owner, ownerID) = try await server.signIn("+15550000033")
            let (stranger, strangerID) = try await server.signIn("+15550000034")
            let (chosen, chosenID) = try await server.signIn("+15550000035")
            _ = try await owner.cards.setCard(
                .with {
                    $0.card.fields = [
                        Self.field(.name, "Ada", .everyone),
                        Self.field(.phone, "+15550000033", .contacts),
                        Self.field(.email, "ada@example.com", .onlyMe),
                        Self.field(.note, "no audience given", .unspecified),
                        Self.field(.organisation, "Analytical Engines", .groups, groups: ["g-1"]),
                        Self.field(.im, "ada#1815", .people, people: [chosenID.userID]),
                    ]
                })
            let seen = try await stranger.cards.getCard(.with { $0.userID = ownerID.userID })
            #expect(seen.card.fields.map(\.value) == ["Ada"])
            #expect(seen.card.fields.allSatisfy { !$0.hasAudience })
            // By number only once the owner lets everyone find them (a stranger is not a contact).
            await expectRPCError(.notFound) { try await stranger.cards.getCard(.with { $0.phone = "5550000033" }) }
            _ = try await owner.account.updateSettings(.with { $0.discoverableBy = .everyone })
            let byPhone = try await stranger.cards.getCard(.with { $0.phone = "5550000033" })
            #expect(byPhone == seen)

            let chosenView = try await chosen.cards.getCard(.with { $0.userID = ownerID.userID })
            #expect(chosenView.card.fields.map(\.value) == ["Ada", "ada#1815"])
            #expect(chosenView.version.etag != seen.version.etag)
            _ = strangerID
        }
    }

    @Test("no visible field and no such person give the same NOT_FOUND")
    func hiddenAndUnknownAreTheSame() async throws {
        try await withCardex { server in
            let (owner, ownerID) = try await server.signIn("+15550000036")
            let (reader, _) = try await server.signIn("+15550000037")
            _ = try await owner.cards.setCard(.with { $0.card.fields = [Self.field(.name, "Private", .onlyMe)] })
            let hidden = await expectRPCError(.notFound) { try await reader.cards.getCard(.with { $0.userID = ownerID.userID }) }
            let unknown = await expectRPCError(.notFound) {
                try await reader.cards.getCard(.with { $0.userID = "1b4e28ba-2fa1-11d2-883f-0016d3cca427" })
            }
            let unregistered = await expectRPCError(.notFound) { try await reader.cards.getCard(.with { $0.phone = "+15559999999" }) }
            #expect(hidden?.withoutRequestID == unknown?.withoutRequestID && unknown?.withoutRequestID == unregistered?.withoutRequestID)
        }
    }

    @Test("bad and oversized cards are INVALID_ARGUMENT and leave the stored card as it was")
    func badCards() async throws {
        try await withCardex { server in
            let (client, _) = try await server.signIn("+15550000038")
            let stored = try await client.cards.setCard(.with { $0.card.fields = [Self.field(.name, "Ada", .everyone)] })
            let bad: [Cardex_V1_Card] = [
                .with { $0.fields = (0..<65).map { Self.field(.email, "a\($0)@example.com", .everyone) } },
                .with { $0.fields = [Self.field(.note, String(repeating: "x", count: 5000), .everyone)] },
                .with { $0.fields = [Self.field(.unspecified, "what am I", .everyone)] },
                .with { $0.fields = [Self.field(.phone, "not a number", .everyone)] },
                .with { $0.fields = [Self.field(.name, "Ada", .people, people: ["not-a-uuid"])] },
            ]
            for card in bad {
                await expectRPCError(.invalidArgument) { try await client.cards.setCard(.with { $0.card = card }) }
            }
            let after = try await client.cards.getMyCard(.init())
            #expect(after.version == stored.version)
            #expect(after.card.fields.map(\.value) == ["Ada"])
        }
    }
}
