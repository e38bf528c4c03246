import CardexCore
import Foundation
import Testing

@Suite("Store contract: address books, mutual contacts and groups")
struct BookGroupContractTests {
    private static func entry(_ id: String, _ name: String, _ phones: [PhoneNumber]) -> BookEntry {
        BookEntry(clientEntryID: id, name: name, phones: phones.map(\.e164), numbers: phones)
    }

    @Test("book changes write only what changed, replace removes the rest, and numbers follow", arguments: Backend.allCases)
    func book(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let people = try await Fixture.accounts(3, in: store)
            let (ada, bo, cy) = (people[0], people[1], people[2])
            let first = try await store.write { transaction in
                try await transaction.applyBookChanges(
                    of: ada.userID, upserts: [Self.entry("1", "Bo", [bo.phone]), Self.entry("2", "Cy", [cy.phone])], removals: [],
                    replace: false, at: Fixture.t0)
            }
            #expect(first == BookChanges(added: 2, size: 2))
            let second = try await store.write { transaction in
                try await transaction.applyBookChanges(
                    of: ada.userID, upserts: [Self.entry("1", "Bo", [bo.phone]), Self.entry("3", "Dee", [])], removals: ["nope"],
                    replace: true, at: Fixture.t0)
            }
            #expect(second == BookChanges(added: 1, unchanged: 1, removed: 1, size: 2))
            let third = try await store.write { transaction in
                try await transaction.applyBookChanges(
                    of: ada.userID, upserts: [Self.entry("1", "Bo B.", [bo.phone])], removals: ["3"], replace: false, at: Fixture.t0)
            }
            #expect(third == BookChanges(changed: 1, removed: 1, size: 1))
            let read = try await store.read { transaction in
                (
                    try await transaction.bookEntries(of: ada.userID, after: nil, limit: 10),
                    try await transaction.bookNumbers(of: ada.userID),
                    try await transaction.bookEntry("1", of: ada.userID)
                )
            }
            #expect(read.0.map(\.name) == ["Bo B."])
            #expect(read.1 == [bo.phone.e164])
            #expect(read.2?.phones == [bo.phone.e164])
        }
    }

    @Test("mutual candidates need both books; mutual contacts are symmetric", arguments: Backend.allCases)
    func mutual(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let people = try await Fixture.accounts(3, in: store)
            let (ada, bo, cy) = (people[0], people[1], people[2])
            try await store.write { transaction in
                try await transaction.putBookEntry(Self.entry("b", "Bo", [bo.phone]), of: ada.userID, at: Fixture.t0)
                try await transaction.putBookEntry(Self.entry("c", "Cy", [cy.phone]), of: ada.userID, at: Fixture.t0)
                try await transaction.putBookEntry(Self.entry("a", "Ada", [ada.phone]), of: bo.userID, at: Fixture.t0)
            }
            #expect(try await store.read { try await $0.peopleWhoseBooksHoldEachOther(with: ada.userID) } == [bo.userID])
            #expect(try await store.read { try await $0.peopleWhoseBooksHoldEachOther(with: cy.userID) } == [])
            try await store.write { try await $0.addMutualContact(ada.userID, bo.userID, since: Fixture.t0) }
            let both = try await store.read { transaction in
                (
                    try await transaction.mutualContacts(of: ada.userID), try await transaction.mutualContacts(of: bo.userID),
                    try await transaction.isMutualContact(bo.userID, of: ada.userID)
                )
            }
            #expect(both.0 == [bo.userID] && both.1 == [ada.userID] && both.2)
            try await store.write { try await $0.removeMutualContact(bo.userID, ada.userID) }
            #expect(try await store.read { try await $0.isMutualContact(ada.userID, of: bo.userID) } == false)
        }
    }

    @Test("groups: members in joining order with cards, pairs, invitations, and deletion", arguments: Backend.allCases)
    func groups(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let people = try await Fixture.accounts(3, in: store)
            let (ada, bo, cy) = (people[0], people[1], people[2])
            let group = Group(id: "g1", name: "Team", owner: ada.userID, createdAt: Fixture.t0)
            let owner = GroupMember(user: ada.userID, phone: ada.phone, role: .owner, tag: nil, joinedAt: Fixture.t0)
            let member = GroupMember(user: bo.userID, phone: bo.phone, role: .member, tag: "x", joinedAt: Fixture.t0 + 1)
            let card = StoredCard(card: Fixture.card("Bo"), version: 1, etag: ETag.ofCard(Fixture.card("Bo")), updatedAt: Fixture.t0)
            let invitation = StoredInvitation(
                id: "i1", groupID: "g1", inviter: ada.userID, inviteeUser: nil, inviteePhone: Fixture.phone(80), tag: "y", createdAt: Fixture.t0,
                deliveredAt: nil)
            try await store.write { transaction in
                try await transaction.insertGroup(group)
                try await transaction.insertMember(owner, in: "g1")
                try await transaction.insertMember(member, in: "g1")
                try await transaction.saveCard(card, of: bo.userID, historyLimit: 1)
                try await transaction.insertInvitation(invitation)
                try await transaction.insertInvitation(
                    StoredInvitation(
                        id: "i2", groupID: "g1", inviter: ada.userID, inviteeUser: cy.userID, inviteePhone: cy.phone, tag: nil,
                        createdAt: Fixture.t0 + 1, deliveredAt: Fixture.t0 + 1))
            }
            var changed = member
            changed.role = .admin
            changed.tag = nil
            try await store.write { [changed] in try await $0.updateMember(changed, in: "g1") }
            let read = try await store.read { transaction in
                (
                    try await transaction.group("g1"), try await transaction.members(of: "g1"),
                    try await transaction.membersWithCards(of: "g1").map { $0.1 }, try await transaction.memberCount(of: "g1"),
                    try await transaction.groupIDs(of: bo.userID), try await transaction.ownedGroupCount(of: ada.userID),
                    try await transaction.groupPairs(of: bo.userID, reader: nil)
                )
            }
            #expect(read.0 == group)
            #expect(read.1 == [owner, changed])
            #expect(read.2 == [nil, card])
            #expect(read.3 == 2 && read.4 == ["g1"] && read.5 == 1)
            #expect(read.6 == [GroupPair(groupID: "g1", owner: changed, other: owner)])
            let invitations = try await store.read { transaction in
                (
                    try await transaction.waitingInvitations(to: Fixture.phone(80)).map(\.id),
                    try await transaction.invitations(to: cy.userID).map(\.id),
                    try await transaction.invitations(in: "g1", to: .user(cy.userID)).map(\.id),
                    try await transaction.invitations(in: "g1", to: nil).map(\.id),
                    try await transaction.invitation("i1"),
                    try await transaction.belongsToAnyGroup(cy.userID)
                )
            }
            #expect(invitations.0 == ["i1"] && invitations.1 == ["i2"] && invitations.2 == ["i2"] && invitations.3 == ["i1", "i2"])
            #expect(invitations.4 == invitation && invitations.5 == false)
            try await store.write { transaction in
                try await transaction.updateMemberPhones(of: bo.userID, to: Fixture.phone(99))
                try await transaction.deleteMember(bo.userID, from: "g1")
            }
            #expect(try await store.read { try await $0.member(bo.userID, in: "g1") } == nil)
            try await store.write { try await $0.deleteGroup("g1") }
            let gone = try await store.read { transaction in
                (try await transaction.group("g1"), try await transaction.members(of: "g1"), try await transaction.invitation("i2"))
            }
            #expect(gone.0 == nil && gone.1.isEmpty && gone.2 == nil)
        }
    }
}
