import CardexCore
import CardexSQLite
import CardexTestSupport
import CardexUseCases
import Foundation
import Testing

/// A use case's transaction on SQLite: its `async` steps run on the connection's thread, and it
/// commits or rolls back as a whole.
@Suite("Use-case transactions on SQLite")
struct TransactionTests {
    private actor Elsewhere {
        func value() -> Int { 42 }
    }

    private struct Refused: Error {}

    private static func openStore() async throws -> (SQLiteStore, UserID, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("transactions-\(UUID().uuidString)")
        let store = try await SQLiteStore.open(SQLiteStore.Configuration(path: directory.appendingPathComponent("cardex.sqlite").path))
        let population = SeedPopulation(phonePrefix: "+1555", digits: 7, card: { _ in Card() })
        let users = try await store.seedAccounts(0..<1, of: population, now: Date())
        return (store, users[0], directory)
    }

    @Test("a write that throws leaves nothing; one that returns commits everything")
    func commitOrNothing() async throws {
        let (store, user, directory) = try await Self.openStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let uses = UseCaseStore(backend: store, events: .defaults, eventSink: nil, sealer: .forTests)
        await #expect(throws: Refused.self) {
            try await uses.write(now: Date()) { changes in
                try await changes.append(.sharesWaiting(count: 1), to: user)
                try await changes.append(.sharesWaiting(count: 2), to: user)
                throw Refused()
            }
        }
        #expect(try await uses.read { try await $0.lastEventSeq(of: user) } == 0)
        try await uses.write(now: Date()) { changes in
            try await changes.append(.sharesWaiting(count: 1), to: user)
            try await changes.append(.sharesWaiting(count: 2), to: user)
        }
        #expect(try await uses.read { try await $0.events(of: user, after: 0, limit: 10) }.map(\.seq) == [1, 2])
    }

    @Test("a transaction that awaits an actor midway resumes on its connection and completes")
    func awaitsElsewhere() async throws {
        let (store, user, directory) = try await Self.openStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let uses = UseCaseStore(backend: store, events: .defaults, eventSink: nil, sealer: .forTests)
        let elsewhere = Elsewhere()
        let count = try await uses.write(now: Date()) { changes in
            try await changes.append(.sharesWaiting(count: 1), to: user)
            let count = await elsewhere.value()
            try await changes.append(.sharesWaiting(count: count), to: user)
            return count
        }
        #expect(count == 42)
        let read = try await uses.read { transaction in
            let card = try await transaction.currentCard(of: user)
            _ = await elsewhere.value()
            return try await (card, transaction.accountExists(user))
        }
        #expect(read.1)
        #expect(try await uses.read { try await $0.events(of: user, after: 0, limit: 10) }.count == 2)
    }

    @Test("concurrent writes appending to one person give gap-free sequence numbers")
    func gapFree() async throws {
        let (store, user, directory) = try await Self.openStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let uses = UseCaseStore(backend: store, events: .defaults, eventSink: nil, sealer: .forTests)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try await uses.write(now: Date()) { changes in
                        try await changes.append(.sharesWaiting(count: index), to: user)
                        if index.isMultiple(of: 5) { throw Refused() }
                    }
                }
            }
            while let result = await group.nextResult() {
                if case .failure(let error) = result, !(error is Refused) { throw error }
            }
        }
        #expect(try await uses.read { try await $0.events(of: user, after: 0, limit: 100) }.map(\.seq) == Array(1...32))
    }
}
