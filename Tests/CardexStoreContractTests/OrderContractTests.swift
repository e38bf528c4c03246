import CardexCore
import Foundation
import Testing

@Suite("Store contract: ties in time keep insertion order")
struct OrderContractTests {
    // Ids out of alphabetical order, and every row updated afterwards in reverse order (an update
    // moves a row to the end of PostgreSQL's heap): only the insertion order itself gives the
    // expected answers.
    private static let ids = ["z", "a", "m"]

    @Test("sessions, shares and the inbox made at one instant come back in the order stored", arguments: Backend.allCases)
    func sessionsAndShares(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let people = try await Fixture.accounts(2, in: store)
            let (ada, bo) = (people[0], people[1])
            let shares = Self.ids.map {
                StoredShare(
                    id: $0, owner: ada.userID, recipientUser: bo.userID, recipientPhone: nil, fields: .all, state: .delivered,
                    createdAt: Fixture.t0, deliveredAt: Fixture.t0, entry: nil)
            }
            try await store.write { transaction in
                for (index, id) in Self.ids.enumerated() {
                    try await transaction.insertSession(
                        DeviceSession(id: id, userID: ada.userID, deviceName: id, createdAt: Fixture.t0, lastUsedAt: Fixture.t0),
                        tokenHash: Data([UInt8(index)]))
                }
                for share in shares { try await transaction.insertShare(share) }
            }
            try await store.write { transaction in
                for (id, share) in zip(Self.ids, shares).reversed() {
                    _ = try await transaction.touchSession(id, at: Fixture.t0 + 60)
                    try await transaction.updateShare(share)
                }
            }
            let read = try await store.read { transaction in
                (
                    try await transaction.sessions(of: ada.userID).map(\.id), try await transaction.shares(of: ada.userID).map(\.id),
                    try await transaction.shares(to: bo.userID, in: .delivered).map(\.id),
                    try await transaction.cardShares(of: ada.userID, to: .user(bo.userID), in: [.delivered]).map(\.id)
                )
            }
            #expect(read.0 == Self.ids)
            #expect(read.1 == Self.ids.reversed())  // newest first
            #expect(read.2 == Self.ids)
            #expect(read.3 == Self.ids)
        }
    }

    @Test("members who joined, and invitations made, at one instant come back in the order stored", arguments: Backend.allCases)
    func membersAndInvitations(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let people = try await Fixture.accounts(4, in: store)
            let owner = people[0]
            // Members keyed by user id: the order stored is people[3], people[1], people[2].
            let joining = [people[3], people[1], people[2]]
            let members = joining.map { GroupMember(user: $0.userID, phone: $0.phone, role: .member, tag: nil, joinedAt: Fixture.t0) }
            let invitations = Self.ids.map {
                StoredInvitation(
                    id: $0, groupID: "g", inviter: owner.userID, inviteeUser: people[1].userID, inviteePhone: people[1].phone, tag: nil,
                    createdAt: Fixture.t0, deliveredAt: Fixture.t0)
            }
            try await store.write { transaction in
                try await transaction.insertGroup(Group(id: "g", name: "G", owner: owner.userID, createdAt: Fixture.t0))
                for member in members { try await transaction.insertMember(member, in: "g") }
                for invitation in invitations { try await transaction.insertInvitation(invitation) }
            }
            try await store.write { transaction in
                for member in members.reversed() { try await transaction.updateMember(member, in: "g") }
                for invitation in invitations.reversed() { try await transaction.updateInvitation(invitation) }
            }
            let read = try await store.read { transaction in
                (
                    try await transaction.members(of: "g").map(\.user), try await transaction.membersWithCards(of: "g").map(\.0.user),
                    try await transaction.invitations(in: "g", to: nil).map(\.id),
                    try await transaction.invitations(to: people[1].userID).map(\.id)
                )
            }
            #expect(read.0 == joining.map(\.userID))
            #expect(read.1 == joining.map(\.userID))
            #expect(read.2 == Self.ids)
            #expect(read.3 == Self.ids)
        }
    }
}
