import CardexClient
import CardexProto
import FramedRPC
import FramedRPCTestSupport
import Testing

/// Delta sync against full sync: after every kind of change that shows or hides a card, a device
/// that applies the delta holds exactly what a full sync lists.
@Suite("Delta sync agrees with full sync")
struct DeltaSyncAgreementTests {
    /// The cards a device holds: owner → the card's field values.
    typealias Cards = [String: [String]]

    /// A full sync, page by page: the cards and the token to continue from.
    static func fullSync(_ client: CardexClient) async throws -> (Cards, String) {
        var cards: Cards = [:]
        var token = ""
        var page = try await client.sync.sync(.init())
        while true {
            for card in page.changed { cards[card.userID] = card.card.fields.map(\.value) }
            token = page.nextToken
            guard page.more else { return (cards, token) }
            page = try await client.sync.sync(.with { $0.token = token })
        }
    }

    /// `cards` with the delta since `token` applied, and the next token.
    static func applyDelta(_ client: CardexClient, since token: String, to cards: Cards) async throws -> (Cards, String) {
        var cards = cards
        var token = token
        while true {
            let page = try await client.sync.sync(.with { $0.token = token })
            for card in page.changed { cards[card.userID] = card.card.fields.map(\.value) }
            for removed in page.removedUserIds { cards[removed] = nil }
            token = page.nextToken
            guard page.more else { return (cards, token) }
        }
    }

    /// Bob's device, following his cards by delta sync and checking them against full sync.
    final class Device {
        let client: CardexClient
        var cards: Cards
        var token: String

        init(_ client: CardexClient) async throws {
            self.client = client
            (cards, token) = try await fullSync(client)
        }

        func expectAgreement(after change: Comment, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            (cards, token) = try await applyDelta(client, since: token, to: cards)
            let (full, _) = try await fullSync(client)
            #expect(cards == full, change, sourceLocation: sourceLocation)
            cards = full
        }
    }

    @Test("share accepted, mutual contact, audience change, group joined, retagged, removed, left, discoverability; a deleted group asks for a full sync")
    func everyKindOfChange() async throws {
        try await withCardex { server in
            let (bob, bobSession) = try await server.signIn("+15550006201")
            let device = try await Device(bob)

            // A share, accepted.
            let (ann, _) = try await SharingTests.sender(server, "+15550006202")
            let shared = try await SharingTests.share(ann, with: "+15550006201")
            _ = try await bob.shares.acceptShare(.with { $0.itemID = shared })
            try await device.expectAgreement(after: "a share accepted")

            // A mutual contact: each has the other's number, and Carol shows a field to contacts.
            let (carol, _) = try await server.signIn("+15550006203")
            _ = try await carol.cards.setCard(
                .with {
                    $0.card.fields = [CardTests.field(.name, "Carol", .contacts), CardTests.field(.note, "mine", .onlyMe)]
                })
            _ = try await carol.book.updateBook(
                .with {
                    $0.upserts = [
                        .with {
                            $0.clientEntryID = "b"
                            $0.name = "Bob"
                            $0.phones = ["+15550006201"]
                        }
                    ]
                })
            _ = try await bob.book.updateBook(
                .with {
                    $0.upserts = [
                        .with {
                            $0.clientEntryID = "c"
                            $0.name = "Carol"
                            $0.phones = ["+15550006203"]
                        }
                    ]
                })
            try await device.expectAgreement(after: "a mutual contact")

            // An audience change: Carol's name no longer for contacts.
            _ = try await carol.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Carol", .onlyMe)] })
            try await device.expectAgreement(after: "an audience change")

            // A group whose owner and members show fields to it, some by tag.
            let (olga, _) = try await server.signIn("+15550006204")
            let group = try await olga.groups.createGroup(.with { $0.name = "Club" }).groupID
            _ = try await olga.cards.setCard(.with { $0.card.fields = GroupTests.card("Olga", group: group) })
            let (dave, daveSession) = try await server.signIn("+15550006205")
            _ = try await dave.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Dave", .groups, groups: [group])] })
            _ = try await GroupTests.invite(olga, group, [("+15550006205", "sales")])
            _ = try await GroupTests.acceptOnlyInvitation(dave)
            _ = try await GroupTests.invite(olga, group, [("+15550006201", "sales")])
            _ = try await GroupTests.acceptOnlyInvitation(bob)
            try await device.expectAgreement(after: "a group joined")
            #expect(device.cards.keys.contains(daveSession.userID), "Dave shows his name to the group")

            // Retagged: Bob out of Dave's tag, then back.
            _ = try await olga.groups.setMember(
                .with {
                    $0.groupID = group
                    $0.userID = bobSession.userID
                    $0.tag = "legal"
                })
            try await device.expectAgreement(after: "Bob retagged")
            _ = try await olga.groups.setMember(
                .with {
                    $0.groupID = group
                    $0.userID = daveSession.userID
                    $0.tag = "legal"
                })
            try await device.expectAgreement(after: "Dave retagged into Bob's tag")

            // Discoverability does not show or hide cards, and delta sync says nothing changed.
            _ = try await dave.account.updateSettings(.with { $0.discoverableBy = .nobody })
            try await device.expectAgreement(after: "Dave hidden from lookups")

            // Removed, invited again; then left.
            _ = try await olga.groups.removeMember(
                .with {
                    $0.groupID = group
                    $0.userID = bobSession.userID
                })
            try await device.expectAgreement(after: "Bob removed")
            _ = try await GroupTests.invite(olga, group, [("+15550006201", "")])
            _ = try await GroupTests.acceptOnlyInvitation(bob)
            try await device.expectAgreement(after: "Bob back, untagged")
            _ = try await bob.groups.leaveGroup(.with { $0.groupID = group })
            try await device.expectAgreement(after: "Bob left")

            // A deleted group: too many changes to list, so delta sync asks for a full sync.
            _ = try await GroupTests.invite(olga, group, [("+15550006201", "sales")])
            _ = try await GroupTests.acceptOnlyInvitation(bob)
            try await device.expectAgreement(after: "Bob back in Dave's tag")
            _ = try await olga.groups.deleteGroup(.with { $0.groupID = group })
            await expectRPCError(.failedPrecondition) { try await bob.sync.sync(.with { $0.token = device.token }) }
        }
    }
}
