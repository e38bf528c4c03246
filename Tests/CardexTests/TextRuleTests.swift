import CardexClient
import CardexProto
import FramedRPC
import FramedRPCTestSupport
import Testing

/// Every string a person sends passes one text rule (`UserText`): an attack run found control
/// characters stored and returned verbatim in labels, group names and address-book entries, and
/// a device name cut at NUL.
@Suite("One text rule for every user string")
struct TextRuleTests {
    static let bad = ["nul\u{0}x", "esc\u{1B}[2J", "\u{202E}txt.exe"]

    @Test("card labels and values, share labels, group names and tags, book entries and local names refuse control characters", arguments: bad)
    func refusedEverywhere(_ text: String) async throws {
        try await withCardex { server in
            let (ann, annID) = try await server.signIn("+15550008901")
            let (bob, _) = try await server.signIn("+15550008902")
            _ = try await ann.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Ann", .everyone)] })
            let group = try await ann.groups.createGroup(.with { $0.name = "Team" }).groupID

            await expectRPCError(.invalidArgument) {
                try await ann.cards.setCard(
                    .with {
                        $0.card.fields = [
                            .with {
                                $0.kind = .email
                                $0.label = text
                                $0.value = "a@example.com"
                            }
                        ]
                    })
            }
            await expectRPCError(.invalidArgument) { try await ann.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, text, .everyone)] }) }
            await expectRPCError(.invalidArgument) {
                try await ann.shares.shareCard(
                    .with {
                        $0.recipients = [.with { $0.phone = "+15550008902" }]
                        $0.fields = [
                            .with {
                                $0.kind = .email
                                $0.label = text
                            }
                        ]
                    })
            }
            await expectRPCError(.invalidArgument) { try await ann.groups.createGroup(.with { $0.name = text }) }
            await expectRPCError(.invalidArgument) {
                try await ann.groups.invite(
                    .with {
                        $0.groupID = group
                        $0.invitees = [
                            .with {
                                $0.person.phone = "+15550008902"
                                $0.tag = text
                            }
                        ]
                    })
            }
            for entry in [ExchangeTests.entry(text, "Carol", []), ExchangeTests.entry("c1", text, []), ExchangeTests.entry("c1", "Carol", [text])] {
                await expectRPCError(.invalidArgument) { try await ann.book.updateBook(.with { $0.upserts = [entry] }) }
            }
            await expectRPCError(.invalidArgument) {
                try await bob.sync.queryUpdate(
                    .with {
                        $0.items = [
                            .with {
                                $0.person.userID = annID.userID
                                $0.localName = text
                            }
                        ]
                    })
            }

            // Nothing was stored: the card, the groups, the book, the shares are as before.
            #expect(try await ann.cards.getMyCard(.init()).card.fields.map(\.value) == ["Ann"])
            #expect(try await ann.groups.listGroups(.init()).groups.map(\.name) == ["Team"])
            #expect(try await ann.book.downloadBook(.init()).entries.isEmpty)
            #expect(try await ann.shares.listShares(.init()).shares.isEmpty)
            #expect(try await bob.groups.listInvitations(.init()).invitations.isEmpty)
        }
    }

    @Test("a device name with a NUL is refused before the code is used; a clean one is kept whole")
    func deviceNames() async throws {
        try await withCardex { server in
            let client = try server.client()
            let phone = "+15550008910"
            _ = try await client.registration.requestCode(
                .with {
                    $0.phone = phone
                    $0.purpose = .register
                })
            let code = try await server.notifier.code(for: phone)
            func verify(_ device: String) async throws -> Cardex_V1_VerifyCodeResponse {
                try await client.registration.verifyCode(
                    .with {
                        $0.phone = phone
                        $0.code = code
                        $0.purpose = .register
                        $0.deviceName = device
                    })
            }
            await expectRPCError(.invalidArgument) { try await verify("phone\u{0}evil") }
            await expectRPCError(.invalidArgument) { try await verify(String(repeating: "x", count: 101)) }
            let verified = try await verify("Ann’s phone 📱")
            client.credentials.token = verified.sessionToken
            #expect(try await client.account.listSessions(.init()).sessions.map(\.deviceName) == ["Ann’s phone 📱"])
        }
    }
}
