import CardexClient
import CardexCore
import CardexProto
import FramedRPC
import FramedRPCTestSupport
import Testing

/// Query-update (patent CN103067478A claims 9–14) and delta sync.
@Suite("Query-update and delta sync")
struct SyncTests {
    static let annCard: [Cardex_V1_CardField] = [
        CardTests.field(.name, "Ann Lee", .contacts),
        CardTests.field(.phone, "+15550006001", .contacts),
        CardTests.field(.note, "private", .onlyMe),
    ]

    /// Ann shares her whole card with Bob, who accepts.
    static func annSharesWithBob(_ server: CardexTestServer) async throws -> (ann: CardexClient, annID: String, bob: CardexClient) {
        let (ann, annID) = try await server.signIn("+15550006001")
        _ = try await ann.cards.setCard(.with { $0.card.fields = annCard })
        let (bob, _) = try await server.signIn("+15550006002")
        let id = try await SharingTests.share(ann, with: "+15550006002")
        _ = try await bob.shares.acceptShare(.with { $0.itemID = id })
        return (ann, annID.userID, bob)
    }

    static func query(_ client: CardexClient, _ items: [Cardex_V1_QueryItem]) async throws -> [Cardex_V1_QueryAnswer] {
        try await client.sync.queryUpdate(.with { $0.items = items }).answers
    }

    @Test("query-update answers not modified, updated with the allowed fields, or no result")
    func threeAnswers() async throws {
        try await withCardex { server in
            let (ann, annID, bob) = try await Self.annSharesWithBob(server)
            let (_, strangerID) = try await server.signIn("+15550006003")  // no card fields Bob may see
            let held = try await bob.cards.getCard(.with { $0.userID = annID }).version

            let current = try await Self.query(
                bob,
                [
                    .with {
                        $0.person.userID = annID
                        $0.knownEtag = held.etag
                    }
                ])
            #expect(current.map(\.result) == [.notModified])
            _ = try await ann.cards.setCard(
                .with {
                    $0.card.fields =
                        [CardTests.field(.name, "Ann Lee", .contacts)] + Self.annCard.dropFirst() + [CardTests.field(.email, "ann@example.com", .contacts)]
                })
            let answers = try await Self.query(
                bob,
                [
                    .with {
                        $0.person.userID = annID
                        $0.knownEtag = held.etag
                    },
                    .with {
                        $0.person.phone = "+15550006001"
                        $0.knownVersion = held.version
                    },
                    .with { $0.person.userID = strangerID.userID },
                    .with { $0.person.phone = "+15550006999" },
                ])
            #expect(answers.map(\.result) == [.updated, .updated, .noResult, .noResult])
            #expect(answers[0].card.card.fields.map(\.value) == ["Ann Lee", "+15550006001", "ann@example.com"])
            #expect(answers[2] == answers[3])  // unknown and not allowed: byte for byte the same
            await expectRPCError(.invalidArgument) { try await Self.query(bob, [.with { $0.person.phone = "12ab" }]) }
        }
    }

    @Test("a name whose number changed is found through the earlier number; the same name at another number is no result")
    func previousVersionMatching() async throws {
        try await withCardex { server in
            let (ann, annID, bob) = try await Self.annSharesWithBob(server)
            let (dave, _) = try await server.signIn("+15550006004")
            _ = try await dave.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Dave", .everyone)] })
            _ = try await dave.account.updateSettings(.with { $0.discoverableBy = .everyone })  // Bob is a stranger to him

            // Ann moves to a new number and updates her card.
            _ = try await ann.registration.requestCode(
                .with {
                    $0.phone = "+15550006005"
                    $0.purpose = .changeNumber
                })
            let code = try await server.notifier.code(for: "+15550006005")
            _ = try await ann.registration.verifyCode(
                .with {
                    $0.phone = "+15550006005"
                    $0.code = code
                    $0.purpose = .changeNumber
                })
            _ = try await ann.cards.setCard(
                .with { $0.card.fields = [CardTests.field(.name, "Ann Lee", .contacts), CardTests.field(.phone, "+15550006005", .contacts)] })

            let answers = try await Self.query(
                bob,
                [
                    .with {
                        $0.person.phone = "+15550006001"
                        $0.localName = "ann lee "
                    },  // Ann's old number
                    .with {
                        $0.person.phone = "+15550006004"
                        $0.localName = "Ann Lee"
                    },  // Dave's number, Ann's name
                    .with {
                        $0.person.phone = "+15550006004"
                        $0.localName = "Dave"
                    },
                ])
            #expect(answers.map(\.result) == [.updated, .noResult, .updated])
            #expect(answers[0].numberChanged && answers[0].card.userID == annID)
            #expect(answers[0].card.card.fields.map(\.value) == ["Ann Lee", "+15550006005"])
            #expect(!answers[2].numberChanged)
        }
    }

    @Test("delta sync: a full sync, then changes, then a revoke as a removal; pages follow the limit")
    func deltaSync() async throws {
        try await withCardex { server in
            let (ann, annID, bob) = try await Self.annSharesWithBob(server)
            let (carol, carolID) = try await SharingTests.sender(server, "+15550006006")
            let fromCarol = try await SharingTests.share(carol, with: "+15550006002")
            _ = try await bob.shares.acceptShare(.with { $0.itemID = fromCarol })

            let first = try await bob.sync.sync(.with { $0.limit = 1 })
            #expect(first.changed.count == 1 && first.more)
            let second = try await bob.sync.sync(
                .with {
                    $0.token = first.nextToken
                    $0.limit = 1
                })
            #expect(second.changed.count == 1 && !second.more)
            #expect(Set((first.changed + second.changed).map(\.userID)) == [annID, carolID])
            #expect((first.changed + second.changed).allSatisfy { !$0.card.fields.map(\.value).contains("private") })

            let quiet = try await bob.sync.sync(.with { $0.token = second.nextToken })
            #expect(quiet.changed.isEmpty && quiet.removedUserIds.isEmpty)
            _ = try await ann.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Ann L.", .contacts)] })
            let changed = try await bob.sync.sync(.with { $0.token = quiet.nextToken })
            #expect(changed.changed.map(\.userID) == [annID] && changed.changed[0].card.fields.map(\.value) == ["Ann L."])

            let shareID = try #require(try await carol.shares.listShares(.init()).shares.first).shareID
            _ = try await carol.shares.revokeShare(.with { $0.shareID = shareID })
            let removed = try await bob.sync.sync(.with { $0.token = changed.nextToken })
            #expect(removed.removedUserIds == [carolID] && removed.changed.isEmpty)
        }
    }

    @Test("delta sync after leaving a group removes the cards it showed; after a deletion it demands a full sync")
    func deltaSyncAfterGroupChanges() async throws {
        try await withCardex { server in
            let (owner, ownerSession) = try await server.signIn("+15550006101")
            let ownerID = ownerSession.userID
            let group = try await owner.groups.createGroup(.with { $0.name = "Club" }).groupID
            _ = try await owner.cards.setCard(.with { $0.card.fields = GroupTests.card("Olga", group: group) })
            let (bob, _) = try await server.signIn("+15550006102")
            _ = try await GroupTests.invite(owner, group, [("+15550006102", "")])
            _ = try await GroupTests.acceptOnlyInvitation(bob)
            let full = try await bob.sync.sync(.init())
            #expect(full.changed.map(\.userID) == [ownerID])
            _ = try await bob.groups.leaveGroup(.with { $0.groupID = group })
            let afterLeave = try await bob.sync.sync(.with { $0.token = full.nextToken })
            // Olga's public field stays readable, but Bob no longer holds her card: a full sync
            // would not list it, so the delta removes it.
            #expect(afterLeave.removedUserIds == [ownerID] && afterLeave.changed.isEmpty)

            // Removed by the owner: a member whose card only the group showed is removed.
            let (carol, carolSession) = try await server.signIn("+15550006103")
            let carolID = carolSession.userID
            let (dave, daveSession) = try await server.signIn("+15550006104")
            let daveID = daveSession.userID
            _ = try await dave.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Dave", .groups, groups: [group])] })
            for (client, phone) in [(carol, "+15550006103"), (dave, "+15550006104")] {
                _ = try await GroupTests.invite(owner, group, [(phone, "")])
                _ = try await GroupTests.acceptOnlyInvitation(client)
            }
            let joined = try await carol.sync.sync(.init())
            #expect(Set(joined.changed.map(\.userID)) == [ownerID, daveID])
            _ = try await owner.groups.removeMember(
                .with {
                    $0.groupID = group
                    $0.userID = carolID
                })
            let afterRemoval = try await carol.sync.sync(.with { $0.token = joined.nextToken })
            // Out of the group, Carol holds neither card: Olga's public field alone is not listed.
            #expect(Set(afterRemoval.removedUserIds) == [daveID, ownerID] && afterRemoval.changed.isEmpty)

            // Deleted: too many changes to list, so a full sync.
            let carolToken = try await carol.sync.sync(.init()).nextToken
            _ = try await GroupTests.invite(owner, group, [("+15550006103", "")])
            _ = try await GroupTests.acceptOnlyInvitation(carol)
            _ = try await owner.groups.deleteGroup(.with { $0.groupID = group })
            let deleted = await expectRPCError(.failedPrecondition) { try await carol.sync.sync(.with { $0.token = carolToken }) }
            #expect(deleted?.message.contains("full sync") == true)
        }
    }

    @Test("an expired, foreign or malformed sync token is FAILED_PRECONDITION demanding a full sync")
    func badTokens() async throws {
        try await withCardex(configure: { $0.events.retention = .seconds(3600) }) { server in
            let (ann, _, bob) = try await Self.annSharesWithBob(server)
            let token = try await bob.sync.sync(.init()).nextToken
            _ = try await ann.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Ann 2", .contacts)] })
            server.clock.advance(by: 7200)
            _ = try await ann.cards.setCard(.with { $0.card.fields = [CardTests.field(.name, "Ann 3", .contacts)] })
            let expired = await expectRPCError(.failedPrecondition) { try await bob.sync.sync(.with { $0.token = token }) }
            #expect(expired?.message.contains("full sync") == true)
            await expectRPCError(.failedPrecondition) { try await ann.sync.sync(.with { $0.token = token }) }
            await expectRPCError(.failedPrecondition) { try await bob.sync.sync(.with { $0.token = "garbage" }) }
        }
    }
}
