import CardexCore
import Foundation
import Testing

@Suite("Store contract: cards and events")
struct CardEventContractTests {
    private static func stored(_ card: Card, version: UInt64) -> StoredCard {
        StoredCard(card: card, version: version, etag: ETag.ofCard(card), updatedAt: Fixture.t0 + Double(version))
    }

    @Test("the card saved last is the current one, as saved", arguments: Backend.allCases)
    func history(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let ada = try await Fixture.accounts(1, in: store)[0]
            let versions = (1...5).map { Self.stored(Fixture.card("Ada \($0)", phone: "+1555111000\($0)"), version: UInt64($0)) }
            for version in versions {
                try await store.write { try await $0.saveCard(version, of: ada.userID, historyLimit: 2) }
            }
            #expect(try await store.read { try await $0.currentCard(of: ada.userID) } == versions[4])
            #expect(try await store.read { try await $0.accountExists(ada.userID) })
            #expect(try await store.read { try await $0.accountExists(.random()) } == false)
        }
    }

    @Test("events get 1, 2, 3… per person; pruning drops by time and by number", arguments: Backend.allCases)
    func events(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let (ada, bo) = try await {
                let a = try await Fixture.accounts(2, in: store)
                return (a[0], a[1])
            }()
            let appended = try await store.write { transaction in
                var events: [UserEvent] = []
                for minute in 0..<5 {
                    events.append(try await transaction.appendEvent(.sharesWaiting(count: minute), to: ada.userID, at: Fixture.t0 + Double(minute * 60)))
                }
                events.append(try await transaction.appendEvent(.sharesWaiting(count: 9), to: bo.userID, at: Fixture.t0))
                return events
            }
            #expect(appended.map(\.seq) == [1, 2, 3, 4, 5, 1])
            #expect(appended[2] == UserEvent(user: ada.userID, seq: 3, createdAt: Fixture.t0 + 120, payload: .sharesWaiting(count: 2)))
            try await store.write { transaction in
                try await transaction.pruneEvents(of: ada.userID, before: Fixture.t0 + 60, throughSeq: 0)
            }
            // The numbers continue after pruning; another person's log is untouched.
            let next = try await store.write { try await $0.appendEvent(.sharesWaiting(count: 0), to: ada.userID, at: Fixture.t0 + 600) }
            #expect(next.seq == 6)
            try await store.write { try await $0.pruneEvents(of: ada.userID, before: .distantPast, throughSeq: 4) }
            let again = try await store.write { try await $0.appendEvent(.sharesWaiting(count: 0), to: bo.userID, at: Fixture.t0) }
            #expect(again.seq == 2)
        }
    }

    @Test("appends to one person from concurrent transactions stay gap-free", arguments: Backend.allCases)
    func concurrentAppends(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let ada = try await Fixture.accounts(1, in: store)[0]
            let seqs = try await withThrowingTaskGroup(of: UInt64.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await store.write { try await $0.appendEvent(.sharesWaiting(count: 0), to: ada.userID, at: Fixture.t0).seq }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(seqs.sorted() == Array(1...20))
        }
    }

    @Test("the outbox counts messages of a kind to a number since a time", arguments: Backend.allCases)
    func outbox(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let phone = Fixture.phone(3)
            let counts = try await store.write { transaction in
                try await transaction.queueMessage(.notice, to: phone, body: "a", at: Fixture.t0)
                try await transaction.queueMessage(.notice, to: phone, body: "b", at: Fixture.t0 + 60)
                try await transaction.queueMessage(.invitation, to: phone, body: "c", at: Fixture.t0 + 60)
                return (
                    try await transaction.messageCount(.notice, to: phone, since: Fixture.t0),
                    try await transaction.messageCount(.notice, to: phone, since: .distantPast),
                    try await transaction.messageCount(.invitation, to: Fixture.phone(4), since: .distantPast)
                )
            }
            #expect(counts == (1, 2, 0))
        }
    }
}
