import CardexCore
import Foundation
import Testing

@Suite("Store contract: reads for many owners at once")
struct BatchReadContractTests {
    @Test("cards, grants and group pairs of many owners, and a number's holder with them, answer as the single reads", arguments: Backend.allCases)
    func batchReadsMatchSingleReads(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let people = try await Fixture.accounts(5, in: store)
            let (ada, bo, cy, dee, eve) = (people[0], people[1], people[2], people[3], people[4])
            let name = FieldSelection.picked([FieldSelector(kind: .name)])
            @Sendable func share(_ id: String, from owner: Account, to reader: UserID?, _ state: StoredShare.State, _ fields: FieldSelection) -> StoredShare {
                StoredShare(
                    id: id, owner: owner.userID, recipientUser: reader, recipientPhone: nil, fields: fields, state: state,
                    createdAt: Fixture.t0, deliveredAt: Fixture.t0, entry: nil)
            }
            try await store.write { transaction in
                for (index, person) in [bo, cy].enumerated() {
                    let card = Fixture.card("Person \(index)")
                    try await transaction.saveCard(
                        StoredCard(card: card, version: 1, etag: ETag.ofCard(card), updatedAt: Fixture.t0), of: person.userID, historyLimit: 1)
                }
                try await transaction.insertShare(share("s1", from: bo, to: ada.userID, .accepted, name))
                try await transaction.insertShare(share("s2", from: cy, to: nil, .public, .all))
                try await transaction.insertShare(share("s3", from: dee, to: ada.userID, .delivered, .all))  // grants nothing yet
                try await transaction.insertShare(share("s4", from: bo, to: eve.userID, .accepted, .all))  // another reader's
                try await transaction.insertGroup(Group(id: "g1", name: "Team", owner: ada.userID, createdAt: Fixture.t0))
                for (offset, person) in [ada, bo, eve].enumerated() {
                    try await transaction.insertMember(
                        GroupMember(
                            user: person.userID, phone: person.phone, role: offset == 0 ? .owner : .member, tag: nil,
                            joinedAt: Fixture.t0 + Double(offset)),
                        in: "g1")
                }
            }
            // Owners with and without cards, grants and groups; one twice; the reader itself.
            let owners = [bo.userID, cy.userID, dee.userID, eve.userID, bo.userID, ada.userID]
            let (batch, single) = try await store.read { transaction in
                let batch = (
                    try await transaction.currentCards(of: owners), try await transaction.cardGrants(of: owners, to: ada.userID),
                    Set(try await transaction.groupPairs(of: owners, reader: ada.userID))
                )
                var cards: [UserID: StoredCard] = [:]
                var grants: [UserID: [CardGrant]] = [:]
                var pairs: Set<GroupPair> = []
                for owner in owners {
                    cards[owner] = try await transaction.currentCard(of: owner)
                    let found = try await transaction.cardGrants(of: owner, to: ada.userID)
                    if !found.isEmpty { grants[owner] = found }
                    pairs.formUnion(try await transaction.groupPairs(of: owner, reader: ada.userID))
                }
                return (batch, (cards, grants, pairs))
            }
            #expect(batch.0 == single.0)
            #expect(Set(batch.0.keys) == [bo.userID, cy.userID])
            #expect(batch.1.mapValues(Set.init) == single.1.mapValues(Set.init))
            #expect(batch.1[bo.userID] == [CardGrant(holder: ada.userID, fields: name)])
            #expect(batch.1[cy.userID] == [CardGrant(holder: nil, fields: .all)])
            #expect(batch.2 == single.2)
            #expect(Set(batch.2.map(\.owner.user)) == [bo.userID, eve.userID])
            #expect(batch.2.allSatisfy { $0.other.user == ada.userID })

            // A lookup's one read of an owner answers as the single reads, for every kind of owner.
            try await store.write { transaction in
                try await transaction.addMutualContact(ada.userID, bo.userID, since: Fixture.t0)
                try await transaction.updateMember(
                    GroupMember(user: eve.userID, phone: eve.phone, role: .admin, tag: "cousins", joinedAt: Fixture.t0 + 2), in: "g1")
            }
            for owner in [bo.userID, cy.userID, dee.userID, eve.userID, ada.userID] {
                let (together, apart) = try await store.read { transaction in
                    (
                        try await transaction.ownerRows(of: owner, for: ada.userID),
                        OwnerRows(
                            card: try await transaction.currentCard(of: owner), grants: try await transaction.cardGrants(of: owner, to: ada.userID),
                            isMutualContact: try await transaction.isMutualContact(ada.userID, of: owner),
                            groupPairs: try await transaction.groupPairs(of: owner, reader: ada.userID))
                    )
                }
                #expect(together.card == apart.card && Set(together.grants) == Set(apart.grants))
                #expect(together.isMutualContact == apart.isMutualContact && Set(together.groupPairs) == Set(apart.groupPairs))
            }
            // A lookup by number reads the holder with those rows, outside a transaction too;
            // an unregistered number reads the rows of the absent id.
            let absent = UserID(rawValue: "00000000-0000-4000-8000-000000000000")
            let unregistered = PhoneNumber(e164: "+15550009999")
            for person in [bo, cy, dee, eve, ada] {
                let (byNumber, single) = try await store.readEach { transaction in
                    (
                        try await transaction.numberRows(of: person.phone, for: ada.userID, absent: absent),
                        (try await transaction.holder(of: person.phone), try await transaction.ownerRows(of: person.userID, for: ada.userID))
                    )
                }
                #expect(byNumber.holder == single.0 && byNumber.holder?.user == person.userID)
                #expect(byNumber.rows.card == single.1.card && Set(byNumber.rows.grants) == Set(single.1.grants))
                #expect(byNumber.rows.isMutualContact == single.1.isMutualContact && Set(byNumber.rows.groupPairs) == Set(single.1.groupPairs))
            }
            let nobody = try await store.readEach { try await $0.numberRows(of: unregistered, for: ada.userID, absent: absent) }
            #expect(nobody.holder == nil && nobody.rows == OwnerRows(card: nil, grants: [], isMutualContact: false, groupPairs: []))

            let boRows = try await store.read { try await $0.ownerRows(of: bo.userID, for: ada.userID) }
            #expect(boRows.isMutualContact && boRows.card != nil && boRows.grants.count == 1 && boRows.groupPairs.count == 1)
            let eveRows = try await store.read { try await $0.ownerRows(of: eve.userID, for: ada.userID) }
            #expect(eveRows.card == nil)
            #expect(eveRows.groupPairs.map { $0.owner.tag } == ["cousins"] && eveRows.groupPairs.map { $0.other.tag } == [nil])
        }
    }
}
