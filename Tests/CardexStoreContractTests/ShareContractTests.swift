import CardexCore
import Foundation
import Testing

@Suite("Store contract: shares and relations")
struct ShareContractTests {
    private static func share(
        _ id: String, from owner: Account, to user: UserID?, phone: PhoneNumber? = nil, _ state: StoredShare.State, at offset: Double,
        fields: FieldSelection = .all, entry: BookEntry? = nil
    ) -> StoredShare {
        StoredShare(
            id: id, owner: owner.userID, recipientUser: user, recipientPhone: phone, fields: fields, state: state,
            createdAt: Fixture.t0 + offset, deliveredAt: state == .delivered ? Fixture.t0 + offset : nil, entry: entry)
    }

    @Test("shares are found by owner, recipient and state, and counted", arguments: Backend.allCases)
    func queries(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let people = try await Fixture.accounts(3, in: store)
            let (ada, bo, cy) = (people[0], people[1], people[2])
            let waitingPhone = Fixture.phone(50)
            let entry = BookEntry(clientEntryID: "e1", name: "Dee", phones: ["+15550009999"], numbers: [PhoneNumber(e164: "+15550009999")])
            let shares = [
                Self.share("a", from: ada, to: bo.userID, .delivered, at: 1),
                Self.share("b", from: ada, to: cy.userID, .accepted, at: 2, fields: .picked([FieldSelector(kind: .name)])),
                Self.share("c", from: ada, to: nil, phone: waitingPhone, .waiting, at: 3),
                Self.share("d", from: ada, to: nil, .public, at: 4),
                Self.share("e", from: ada, to: bo.userID, .delivered, at: 5, entry: entry),
                Self.share("f", from: cy, to: bo.userID, .accepted, at: 6),
            ]
            try await store.write { transaction in
                for share in shares { try await transaction.insertShare(share) }
            }
            let read = try await store.read { transaction in
                (
                    try await transaction.share("e"),
                    try await transaction.shares(of: ada.userID).map(\.id),
                    try await transaction.cardShares(of: ada.userID, to: .user(bo.userID), in: [.delivered, .waiting]).map(\.id),
                    try await transaction.cardShares(of: ada.userID, to: .unregistered(waitingPhone), in: [.waiting]).map(\.id),
                    try await transaction.unansweredShareCount(of: ada.userID),
                    try await transaction.shares(to: bo.userID, in: .delivered).map(\.id),
                    try await transaction.shareCount(to: bo.userID, in: .accepted),
                    try await transaction.acceptedCardOwners(for: bo.userID)
                )
            }
            #expect(read.0 == shares[4])
            #expect(read.1 == ["e", "d", "c", "b", "a"])
            #expect(read.2 == ["a"])
            #expect(read.3 == ["c"])
            #expect(read.4 == 3)
            #expect(read.5 == ["a", "e"])
            #expect(read.6 == 1)
            #expect(read.7 == [cy.userID])

            let grants = try await store.read { transaction in
                (try await transaction.cardGrants(of: ada.userID, to: cy.userID), try await transaction.cardGrants(of: ada.userID, to: nil))
            }
            #expect(Set(grants.0) == [CardGrant(holder: cy.userID, fields: .picked([FieldSelector(kind: .name)])), CardGrant(holder: nil, fields: .all)])
            #expect(grants.1.count == 2)
        }
    }

    @Test("updating, deleting, claiming waiting shares for a new holder of the number", arguments: Backend.allCases)
    func writes(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let people = try await Fixture.accounts(2, in: store)
            let (ada, bo) = (people[0], people[1])
            let phone = Fixture.phone(60)
            try await store.write { transaction in
                try await transaction.insertShare(Self.share("w", from: ada, to: nil, phone: phone, .waiting, at: 1))
                try await transaction.insertShare(Self.share("p1", from: ada, to: nil, .public, at: 2))
                try await transaction.insertShare(Self.share("x", from: bo, to: bo.userID, phone: phone, .waiting, at: 3))
                try await transaction.insertShare(Self.share("acc", from: ada, to: bo.userID, .accepted, at: 4))
            }
            try await store.write { transaction in
                try await transaction.claimWaitingShares(to: phone, for: bo.userID)
                try await transaction.deletePublicShares(of: ada.userID)
                try await transaction.deleteAcceptedCardShares(of: ada.userID, heldBy: bo.userID)
                var waiting = try #require(try await transaction.share("w"))
                waiting.state = .delivered
                waiting.deliveredAt = Fixture.t0 + 9
                try await transaction.updateShare(waiting)
            }
            let read = try await store.read { transaction in
                (try await transaction.share("w"), try await transaction.share("x"), try await transaction.shares(of: ada.userID).map(\.id))
            }
            #expect(read.0?.recipientUser == bo.userID && read.0?.state == .delivered && read.0?.deliveredAt == Fixture.t0 + 9)
            #expect(read.1 == nil)  // bo's share with the number bo now holds
            #expect(read.2 == ["w"])
            try await store.write { try await $0.deleteShare("w") }
            #expect(try await store.read { try await $0.share("w") } == nil)
        }
    }
}
