import CardexCore
import CardexSQLite
import CardexTestSupport
import CardexUseCases
import Foundation
import Testing

/// ``Changes``: what appending a batch of events prunes under the ``EventPolicy``.
@Suite("Changes: appended batches are pruned per person", TestDatabase.embeddedOnly)
struct ChangesTests {
    @Test("a batch naming a person often keeps their newest events up to the limit; the window drops only its people's old ones")
    func batchPrunes() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("changes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await SQLiteStore.open(SQLiteStore.Configuration(path: directory.appendingPathComponent("cardex.sqlite").path))
        let population = SeedPopulation(phonePrefix: "+1555", digits: 7, card: { _ in Card() })
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let people = try await store.seedAccounts(0..<3, of: population, now: t0)
        let (ada, bo, cy) = (people[0], people[1], people[2])
        let uses = UseCaseStore(backend: store, events: EventPolicy(retention: .seconds(3600), maxEventsPerUser: 3), eventSink: nil, sealer: .forTests)
        let kept = { @Sendable (user: UserID) in try await uses.read { try await $0.events(of: user, after: 0, limit: 100) }.map(\.seq) }

        try await uses.write(now: t0) { changes in
            try await changes.append([ada, bo, ada, ada, cy, bo, ada, ada].map { NewEvent(.sharesWaiting(count: 0), to: $0) })
        }
        #expect(try await kept(ada) == [3, 4, 5])
        #expect(try await kept(bo) == [1, 2])
        // Two hours on: Bo's events leave the window when Bo gets one; Ada's and Cy's stay until theirs.
        try await uses.write(now: t0 + 7200) { try await $0.append([NewEvent(.sharesWaiting(count: 1), to: bo)]) }
        #expect(try await kept(bo) == [3])
        #expect(try await kept(ada) == [3, 4, 5])
        #expect(try await kept(cy) == [1])
    }
}
