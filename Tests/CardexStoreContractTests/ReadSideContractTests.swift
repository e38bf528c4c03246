import CardexCore
import Foundation
import Testing

@Suite("Store contract: event pages, card history and number holders")
struct ReadSideContractTests {
    @Test("event pages follow the sequence; the last given and first kept numbers survive pruning", arguments: Backend.allCases)
    func eventReads(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let (ada, bo) = try await {
                let a = try await Fixture.accounts(2, in: store)
                return (a[0], a[1])
            }()
            let before = try await store.read { transaction in
                (try await transaction.lastEventSeq(of: ada.userID), try await transaction.firstKeptEventSeq(of: ada.userID))
            }
            #expect(before.0 == 0 && before.1 == nil)
            let appended = try await store.write { transaction in
                var events: [UserEvent] = []
                for count in 0..<5 {
                    events.append(try await transaction.appendEvent(.sharesWaiting(count: count), to: ada.userID, at: Fixture.t0 + Double(count)))
                }
                _ = try await transaction.appendEvent(.sharesWaiting(count: 9), to: bo.userID, at: Fixture.t0)
                return events
            }
            let pages = try await store.read { transaction in
                (
                    try await transaction.events(of: ada.userID, after: 0, limit: 2),
                    try await transaction.events(of: ada.userID, after: 2, limit: 10)
                )
            }
            #expect(pages.0 == Array(appended[0..<2]))
            #expect(pages.1 == Array(appended[2...]))
            try await store.write { try await $0.pruneEvents(of: ada.userID, before: .distantPast, throughSeq: 5) }
            let after = try await store.read { transaction in
                (
                    try await transaction.lastEventSeq(of: ada.userID), try await transaction.firstKeptEventSeq(of: ada.userID),
                    try await transaction.events(of: ada.userID, after: 0, limit: 10), try await transaction.firstKeptEventSeq(of: bo.userID)
                )
            }
            #expect(after.0 == 5 && after.1 == nil && after.2.isEmpty && after.3 == 1)
        }
    }

    @Test("earlier card versions come newest first, as many as the history keeps", arguments: Backend.allCases)
    func previousCards(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let ada = try await Fixture.accounts(1, in: store)[0]
            let versions = (1...4).map { version in
                let card = Fixture.card("Ada \(version)")
                return StoredCard(card: card, version: UInt64(version), etag: ETag.ofCard(card), updatedAt: Fixture.t0 + Double(version))
            }
            for version in versions {
                try await store.write { try await $0.saveCard(version, of: ada.userID, historyLimit: 2) }
            }
            let previous = try await store.read { try await $0.previousCards(of: ada.userID) }
            #expect(previous == [versions[2], versions[1]])
        }
    }

    @Test("a number's holder, and its former holders most recent first, with their settings", arguments: Backend.allCases)
    func numberHolders(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let people = [Fixture.account(0), Fixture.account(1, settings: AccountSettings(discoverableBy: .nobody)), Fixture.account(2)]
            let old = Fixture.phone(40)
            try await store.write { transaction in
                for account in people { try await transaction.insertAccount(account) }
                try await transaction.recordFormerPhones([old.e164], of: people[1].userID, at: Fixture.t0)
                try await transaction.recordFormerPhones([old.e164], of: people[2].userID, at: Fixture.t0 + 60)
            }
            let read = try await store.read { transaction in
                (
                    try await transaction.holder(of: people[1].phone), try await transaction.holder(of: old),
                    try await transaction.formerHolders(of: old)
                )
            }
            #expect(read.0 == NumberHolder(user: people[1].userID, discoverability: .nobody))
            #expect(read.1 == nil)
            #expect(
                read.2 == [
                    NumberHolder(user: people[2].userID, discoverability: people[2].settings.discoverableBy),
                    NumberHolder(user: people[1].userID, discoverability: .nobody),
                ])
        }
    }
}
