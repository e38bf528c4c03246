import CardexCore
import CardexPostgres
import CardexSQLite
import Foundation
import Testing

@Suite("Store contract: bulk seeding")
struct SeedContractTests {
    static let count = 200
    static let bookSize = 20

    /// 200 accounts, each with a card and a 20-entry book of other seeded numbers (a fixed
    /// spread, as cardex-bench's) and one unregistered number.
    static let population: SeedPopulation = {
        let base = SeedPopulation(phonePrefix: "+1554", digits: 7) { index in
            Fixture.card("Seeded \(index)", phone: "+1554" + String(index))
        }
        var population = base
        population.book = { index in
            (1...bookSize).map { step in base.phone((index &* 37 &+ step &* 61) % count) } + ["+15540999999"]
        }
        return population
    }()

    /// Account `index` as a user reads it back.
    private static func expectSeeded(_ index: Int, in store: any ContractStore) async throws {
        let population = Self.population
        let user = population.userID(index)
        let phone = PhoneNumber(e164: population.phone(index))
        let read = try await store.read { transaction in
            (
                try await transaction.account(user), try await transaction.holder(of: phone), try await transaction.currentCard(of: user),
                try await transaction.bookEntries(of: user, after: nil, limit: 100), try await transaction.bookNumbers(of: user),
                try await transaction.bookEntry("7", of: user)
            )
        }
        #expect(read.0 == Account(userID: user, phone: phone, createdAt: Fixture.t0, settings: SeedPopulation.settings))
        #expect(read.1 == NumberHolder(user: user, discoverability: .everyone))
        let card = population.card(index)
        #expect(read.2 == StoredCard(card: card, version: 1, etag: ETag.ofCard(card), updatedAt: Fixture.t0))
        let numbers = population.book(index)
        #expect(read.3.map(\.clientEntryID) == (0..<numbers.count).map(String.init).sorted())
        #expect(read.3.map(\.numbers) == read.3.map { [PhoneNumber(e164: numbers[Int($0.clientEntryID)!])] })
        #expect(read.3 == population.bookEntries(index))
        #expect(read.4 == Set(numbers))
        #expect(read.5 == BookEntry(clientEntryID: "7", name: "Contact 7", phones: [numbers[7]], numbers: [PhoneNumber(e164: numbers[7])]))
    }

    @Test("a bulk-seeded account reads back as its population made it: account, number, card, book", arguments: Backend.allCases)
    func readsBack(backend: Backend) async throws {
        let seeded = try await backend.makeSchemaStore(seeding: Self.count, of: Self.population)
        try await TestStore.using(seeded.test) { store in
            for index in [0, 1, 57, 100, Self.count - 1] {
                try await Self.expectSeeded(index, in: store)
            }
            let beyond = try await store.read { try await $0.account(phone: PhoneNumber(e164: Self.population.phone(Self.count))) }
            #expect(beyond == nil)
        }
    }

    @Test("the numbers of seeded books find the seeded people whose books hold each other", arguments: Backend.allCases)
    func matching(backend: Backend) async throws {
        let population = Self.population
        let seeded = try await backend.makeSchemaStore(seeding: Self.count, of: population)
        try await TestStore.using(seeded.test) { store in
            for index in [0, 3, 150] {
                let mine = Set(population.book(index))
                let expected = Set(
                    (0..<Self.count).filter { other in
                        other != index && mine.contains(population.phone(other)) && population.book(other).contains(population.phone(index))
                    }.map(population.userID))
                let found = try await store.read { try await $0.peopleWhoseBooksHoldEachOther(with: population.userID(index)) }
                #expect(found == expected)
            }
        }
    }

    @Test("uploading a seeded book again changes nothing: the seeded entries are the store's own text", arguments: Backend.allCases)
    func reupload(backend: Backend) async throws {
        let seeded = try await backend.makeSchemaStore(seeding: Self.count, of: Self.population)
        try await TestStore.using(seeded.test) { store in
            let entries = Self.population.bookEntries(42)
            let changes = try await store.write { transaction in
                try await transaction.applyBookChanges(
                    of: Self.population.userID(42), upserts: entries.reversed(), removals: [], replace: true, at: Fixture.t0 + 60)
            }
            #expect(changes == BookChanges(unchanged: entries.count, size: entries.count))
        }
    }

    @Test("a bulk seed leaves the schema as the migrations made it: every index and foreign key is back", arguments: Backend.allCases)
    func schema(backend: Backend) async throws {
        let fresh = try await backend.makeSchemaStore()
        let migrated = try await TestStore.using(fresh.test) { _ in try await fresh.schema() }
        let seeded = try await backend.makeSchemaStore(seeding: Self.count, of: Self.population)
        let after = try await TestStore.using(seeded.test) { _ in try await seeded.schema() }
        #expect(after == migrated)
        #expect(after.contains { $0.contains("book_numbers_by_phone") })
    }

    @Test("seedAccounts writes what bulk seeding writes, and seedMembers joins the accounts to a group", arguments: Backend.allCases)
    func seedAccounts(backend: Backend) async throws {
        let fresh = try await backend.makeSchemaStore()
        try await TestStore.using(fresh.test) { store in
            let population = Self.population
            let ids: [UserID]
            switch store {
            case let sqlite as SQLiteStore:
                ids = try await sqlite.seedAccounts(0..<3, of: population, now: Fixture.t0)
                try await store.write { try await $0.insertGroup(Group(id: "g", name: "Seeded", owner: ids[0], createdAt: Fixture.t0)) }
                try await sqlite.seedMembers(ids + [UserID.random()], of: "g", now: Fixture.t0)
            case let postgres as PostgresStore:
                ids = try await postgres.seedAccounts(0..<3, of: population, now: Fixture.t0)
                try await store.write { try await $0.insertGroup(Group(id: "g", name: "Seeded", owner: ids[0], createdAt: Fixture.t0)) }
                try await postgres.seedMembers(ids + [UserID.random()], of: "g", now: Fixture.t0)
            default:
                Issue.record("no seeding for \(type(of: store))")
                return
            }
            #expect(ids == (0..<3).map(population.userID))
            for index in 0..<3 {
                try await Self.expectSeeded(index, in: store)
            }
            let members = try await store.read { try await $0.members(of: "g") }
            #expect(members.map(\.user) == ids)
            #expect(members.map(\.phone.e164) == (0..<3).map(population.phone))
            #expect(members.allSatisfy { $0.role == .member && $0.tag == nil && $0.joinedAt == Fixture.t0 })
        }
    }

    @Test("text that COPY or JSON must escape is stored as given", arguments: Backend.allCases)
    func escapes(backend: Backend) async throws {
        let base = SeedPopulation(phonePrefix: "+1\\5\t5\n4\r", digits: 2) { index in
            Fixture.card("Tab\t back\\slash \"quote\" new\nline é 🙂 \(index)")
        }
        var escaping = base
        escaping.book = { index in [base.phone((index + 1) % 5), "\\N"] }
        let population = escaping
        let seeded = try await backend.makeSchemaStore(seeding: 5, of: population)
        try await TestStore.using(seeded.test) { store in
            for index in 0..<5 {
                let read = try await store.read { transaction in
                    (
                        try await transaction.account(phone: PhoneNumber(e164: population.phone(index)))?.userID,
                        try await transaction.currentCard(of: population.userID(index))?.card,
                        try await transaction.bookEntries(of: population.userID(index), after: nil, limit: 10),
                        try await transaction.bookNumbers(of: population.userID(index))
                    )
                }
                #expect(read.0 == population.userID(index))
                #expect(read.1 == population.card(index))
                #expect(read.2 == population.bookEntries(index))
                #expect(read.3 == Set(population.book(index)))
            }
        }
    }
}

extension TestStore {
    /// Runs `body` with `test`'s store, then removes it.
    static func using<Result: Sendable>(_ test: TestStore, _ body: (any ContractStore) async throws -> Result) async throws -> Result {
        let result: Result
        do {
            result = try await body(test.store)
        } catch {
            await test.remove()
            throw error
        }
        await test.remove()
        return result
    }
}
