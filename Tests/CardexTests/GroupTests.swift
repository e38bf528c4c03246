import CardexClient
import CardexProto
import FramedRPC
import FramedRPCTestSupport
import Testing

/// Groups as shared address books built by invitation (patent CN102984213A) whose members get
/// each other's contact details (patent CN104683305B).
@Suite("Groups")
struct GroupTests {
    /// A member's card: one field for the group, one for another group, one for contacts, one private, one public.
    static func card(_ name: String, group: String) -> [Cardex_V1_CardField] {
        [
            CardTests.field(.name, name, .groups, groups: [group]),
            CardTests.field(.email, "\(name.lowercased())@example.com", .groups, groups: ["another-group"]),
            CardTests.field(.phone, "+15550009999", .contacts),
            CardTests.field(.note, "private", .onlyMe),
            CardTests.field(.url, "https://example.com/\(name.lowercased())", .everyone),
        ]
    }

    static func invite(_ owner: CardexClient, _ group: String, _ people: [(String, String)]) async throws -> [String] {
        try await owner.groups.invite(
            .with {
                $0.groupID = group
                $0.invitees = people.map { phone, tag in
                    .with {
                        $0.person.phone = phone
                        $0.tag = tag
                    }
                }
            }
        ).invitationIds
    }

    static func directory(_ client: CardexClient, _ group: String) async throws -> [Cardex_V1_Member] {
        try await client.groups.getDirectory(.with { $0.groupID = group }).members
    }

    static func acceptOnlyInvitation(_ client: CardexClient) async throws -> Cardex_V1_AcceptInvitationResponse {
        let invitation = try #require(try await client.groups.listInvitations(.init()).invitations.first)
        return try await client.groups.acceptInvitation(.with { $0.invitationID = invitation.invitationID })
    }

    @Test("patent 003 flow: invite a registered and an unregistered number; both accept; the directory shows both")
    func invitationFlow() async throws {
        try await withCardex { server in
            let (owner, ownerID) = try await server.signIn("+15550004000")
            let group = try await owner.groups.createGroup(.with { $0.name = "Choir" })
            #expect(group.myRole == .owner && group.memberCount == 1)
            let (bob, bobID) = try await server.signIn("+15550004001")
            _ = try await bob.cards.setCard(.with { $0.card.fields = Self.card("Bob", group: group.groupID) })

            _ = try await Self.invite(owner, group.groupID, [("+15550004001", ""), ("+15550004002", "")])
            #expect(try await StoreInspector(server).outboxKinds(to: "+15550004002") == ["invitation"])
            #expect(try await StoreInspector(server).outboxKinds(to: "+15550004001") == ["verification_code", "notice"])
            let invitation = try #require(try await bob.groups.listInvitations(.init()).invitations.first)
            #expect(invitation.groupName == "Choir" && invitation.inviterUserID == ownerID.userID)
            let joined = try await bob.groups.acceptInvitation(.with { $0.invitationID = invitation.invitationID })
            #expect(joined.group.groupID == group.groupID && joined.group.myRole == .member)
            #expect(joined.members.map(\.userID) == [ownerID.userID] && joined.members.first?.phone == "+15550004000")

            let (carol, carolID) = try await server.signIn("+15550004002")
            _ = try await Self.acceptOnlyInvitation(carol)

            let seen = try await Self.directory(owner, group.groupID)
            #expect(seen.map(\.userID) == [bobID.userID, carolID.userID])
            #expect(seen.map(\.phone) == ["+15550004001", "+15550004002"])
            #expect(try await Self.directory(carol, group.groupID).map(\.userID) == [ownerID.userID, bobID.userID])
            let withSelf = try await carol.groups.getDirectory(
                .with {
                    $0.groupID = group.groupID
                    $0.includeSelf = true
                })
            #expect(withSelf.members.count == 3 && withSelf.group.memberCount == 3)
            #expect(try await carol.groups.listGroups(.init()).groups.map(\.groupID) == [group.groupID])
        }
    }

    @Test("declining deletes the invitation")
    func decline() async throws {
        try await withCardex { server in
            let (owner, _) = try await server.signIn("+15550004010")
            let group = try await owner.groups.createGroup(.with { $0.name = "Club" })
            let (bob, _) = try await server.signIn("+15550004011")
            let id = try #require(try await Self.invite(owner, group.groupID, [("+15550004011", "")]).first)
            _ = try await bob.groups.declineInvitation(.with { $0.invitationID = id })
            #expect(try await StoreInspector(server).rowCount("group_invitations") == 0)
            #expect(try await bob.groups.listInvitations(.init()).invitations.isEmpty)
            await expectRPCError(.notFound) { try await bob.groups.acceptInvitation(.with { $0.invitationID = id }) }
            await expectRPCError(.notFound) { try await Self.directory(bob, group.groupID) }
        }
    }

    @Test("permission tags partition the directory; the owner sees everyone")
    func tags() async throws {
        try await withCardex { server in
            let (owner, _) = try await server.signIn("+15550004020")
            let group = try await owner.groups.createGroup(.with { $0.name = "Company" })
            _ = try await Self.invite(
                owner, group.groupID,
                [("+15550004021", "sales"), ("+15550004022", "sales"), ("+15550004023", "legal"), ("+15550004024", "")])
            var clients: [CardexClient] = []
            var ids: [String] = []
            for phone in ["+15550004021", "+15550004022", "+15550004023", "+15550004024"] {
                let (client, me) = try await server.signIn(phone)
                _ = try await Self.acceptOnlyInvitation(client)
                clients.append(client)
                ids.append(me.userID)
            }
            #expect(try await Self.directory(clients[0], group.groupID).map(\.userID) == [ids[1]])
            #expect(try await Self.directory(clients[1], group.groupID).map(\.userID) == [ids[0]])
            #expect(try await Self.directory(clients[2], group.groupID).isEmpty)
            let untagged = try await Self.directory(clients[3], group.groupID)
            #expect(untagged.count == 1 && untagged.first?.role == .owner)
            #expect(try await Self.directory(owner, group.groupID).map(\.userID) == ids)
            #expect(try await Self.directory(owner, group.groupID).map(\.tag) == ["sales", "sales", "legal", ""])
        }
    }

    @Test("a member never receives a field whose audience excludes the group, by directory, event or card read")
    func groupAudience() async throws {
        try await withCardex { server in
            let (owner, _) = try await server.signIn("+15550004030")
            let group = try await owner.groups.createGroup(.with { $0.name = "Team" })
            _ = try await Self.invite(owner, group.groupID, [("+15550004031", ""), ("+15550004032", "")])
            let (bob, _) = try await server.signIn("+15550004031")
            _ = try await Self.acceptOnlyInvitation(bob)
            let watcher = try await EventWatcher.open(bob)

            let (carol, carolID) = try await server.signIn("+15550004032")
            _ = try await carol.cards.setCard(.with { $0.card.fields = Self.card("Carol", group: group.groupID) })
            _ = try await Self.acceptOnlyInvitation(carol)
            let expected = ["Carol", "https://example.com/carol"]

            // The directory's news, then the card Bob now holds.
            let joining = try await watcher.waitForEvents(2)
            let joined = joining[0].memberJoined
            #expect(joined.member.userID == carolID.userID && joined.member.phone == "+15550004032")
            #expect(SharingTests.values(joined.member.card) == expected)
            #expect(joining[1].cardUpdated.userID == carolID.userID && SharingTests.values(joining[1].cardUpdated) == expected)
            let entry = try #require(try await Self.directory(bob, group.groupID).first { $0.userID == carolID.userID })
            #expect(SharingTests.values(entry.card) == expected)
            #expect(try await bob.cards.getCard(.with { $0.userID = carolID.userID }).card.fields.map(\.value) == expected)

            var changed = Self.card("Carol B", group: group.groupID)
            changed[1] = CardTests.field(.email, "new@example.com", .groups, groups: ["another-group"])
            _ = try await carol.cards.setCard(.with { $0.card.fields = changed })
            let update = try #require(try await watcher.waitForEvents(3).last).cardUpdated
            #expect(SharingTests.values(update) == ["Carol B", "https://example.com/carol b"])
            await watcher.close()
        }
    }

    @Test("a non-member asking for a group gets NOT_FOUND, like for a group that does not exist")
    func nonMember() async throws {
        try await withCardex { server in
            let (owner, _) = try await server.signIn("+15550004040")
            let group = try await owner.groups.createGroup(.with { $0.name = "Private" })
            let (mallory, _) = try await server.signIn("+15550004041")
            for id in [group.groupID, "no-such-group"] {
                await expectRPCError(.notFound) { try await Self.directory(mallory, id) }
                await expectRPCError(.notFound) { try await Self.invite(mallory, id, [("+15550004042", "")]) }
                await expectRPCError(.notFound) { try await mallory.groups.leaveGroup(.with { $0.groupID = id }) }
                await expectRPCError(.notFound) { try await mallory.groups.deleteGroup(.with { $0.groupID = id }) }
            }
        }
    }

    @Test("only the owner or an admin removes or retags; a removed member gets no further events")
    func administration() async throws {
        try await withCardex { server in
            let (owner, ownerID) = try await server.signIn("+15550004050")
            let group = try await owner.groups.createGroup(.with { $0.name = "Board" })
            _ = try await Self.invite(owner, group.groupID, [("+15550004051", ""), ("+15550004052", ""), ("+15550004053", "")])
            let (bob, bobID) = try await server.signIn("+15550004051")
            let (carol, carolID) = try await server.signIn("+15550004052")
            let (dave, daveID) = try await server.signIn("+15550004053")
            for client in [bob, carol, dave] { _ = try await Self.acceptOnlyInvitation(client) }

            await expectRPCError(.permissionDenied) {
                try await bob.groups.removeMember(
                    .with {
                        $0.groupID = group.groupID
                        $0.userID = carolID.userID
                    })
            }
            await expectRPCError(.permissionDenied) {
                try await bob.groups.setMember(
                    .with {
                        $0.groupID = group.groupID
                        $0.userID = carolID.userID
                        $0.tag = "x"
                    })
            }
            await expectRPCError(.permissionDenied) {
                try await bob.groups.setMember(
                    .with {
                        $0.groupID = group.groupID
                        $0.userID = bobID.userID
                        $0.admin = true
                    })
            }
            let promoted = try await owner.groups.setMember(
                .with {
                    $0.groupID = group.groupID
                    $0.userID = bobID.userID
                    $0.admin = true
                })
            #expect(promoted.member.role == .admin)
            let retagged = try await bob.groups.setMember(
                .with {
                    $0.groupID = group.groupID
                    $0.userID = carolID.userID
                    $0.tag = "x"
                })
            #expect(retagged.member.tag == "x")
            await expectRPCError(.permissionDenied) {
                try await bob.groups.removeMember(
                    .with {
                        $0.groupID = group.groupID
                        $0.userID = ownerID.userID
                    })
            }

            let carolEvents = try await EventWatcher.open(carol)
            _ = try await bob.groups.removeMember(
                .with {
                    $0.groupID = group.groupID
                    $0.userID = carolID.userID
                })
            let ended = try #require(try await carolEvents.waitForEvents(1).first).membershipEnded
            #expect(ended.groupID == group.groupID && ended.reason == .removed)
            await expectRPCError(.notFound) { try await Self.directory(carol, group.groupID) }
            // Dave's card change reaches Bob, a member, but not Carol any more.
            let bobEvents = try await EventWatcher.open(bob)
            _ = try await dave.cards.setCard(.with { $0.card.fields = Self.card("Dave", group: group.groupID) })
            #expect(try await bobEvents.waitForEvents(1).first?.cardUpdated.userID == daveID.userID)
            _ = try await dave.groups.leaveGroup(.with { $0.groupID = group.groupID })
            #expect(try await bobEvents.waitForEvents(2).last?.memberLeft.userID == daveID.userID)
            #expect(carolEvents.events.count == 1)
            await expectRPCError(.failedPrecondition) { try await owner.groups.leaveGroup(.with { $0.groupID = group.groupID }) }
            await carolEvents.close()
            await bobEvents.close()
        }
    }

    @Test("sharing my card with a group asks every member I see to accept")
    func shareWithGroup() async throws {
        try await withCardex { server in
            let (owner, ownerID) = try await SharingTests.sender(server, "+15550004070")
            let group = try await owner.groups.createGroup(.with { $0.name = "Neighbours" })
            _ = try await Self.invite(owner, group.groupID, [("+15550004071", ""), ("+15550004072", "")])
            let (bob, _) = try await server.signIn("+15550004071")
            let (carol, _) = try await server.signIn("+15550004072")
            for client in [bob, carol] { _ = try await Self.acceptOnlyInvitation(client) }
            let (mallory, _) = try await server.signIn("+15550004073")

            let shared = try await owner.shares.shareCard(
                .with {
                    $0.groupID = group.groupID
                    $0.fields = [.with { $0.kind = .email }]
                })
            #expect(shared.shareIds.count == 2)
            for client in [bob, carol] {
                let item = try #require(try await client.shares.listInbox(.init()).items.first)
                #expect(item.shared.userID == ownerID && SharingTests.values(item.shared) == ["ada@example.com"])
            }
            await expectRPCError(.notFound) { try await mallory.shares.shareCard(.with { $0.groupID = group.groupID }) }
            await expectRPCError(.invalidArgument) {
                try await owner.shares.shareCard(
                    .with {
                        $0.groupID = group.groupID
                        $0.everyone = true
                    })
            }
        }
    }

    @Test("deleting a group ends every membership; only the owner may")
    func deleteGroup() async throws {
        try await withCardex { server in
            let (owner, _) = try await server.signIn("+15550004060")
            let group = try await owner.groups.createGroup(.with { $0.name = "Trip" })
            _ = try await Self.invite(owner, group.groupID, [("+15550004061", ""), ("+15550004062", "")])
            let (bob, _) = try await server.signIn("+15550004061")
            _ = try await Self.acceptOnlyInvitation(bob)
            let (carol, _) = try await server.signIn("+15550004062")
            let watcher = try await EventWatcher.open(bob)
            await expectRPCError(.permissionDenied) { try await bob.groups.deleteGroup(.with { $0.groupID = group.groupID }) }
            _ = try await owner.groups.deleteGroup(.with { $0.groupID = group.groupID })
            #expect(try await watcher.waitForEvents(1).first?.membershipEnded.reason == .groupDeleted)
            #expect(try await bob.groups.listGroups(.init()).groups.isEmpty)
            #expect(try await carol.groups.listInvitations(.init()).invitations.isEmpty)
            #expect(try await StoreInspector(server).rowCount("group_members") == 0)
            await watcher.close()
        }
    }
}
