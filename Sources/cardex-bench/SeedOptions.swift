import ArgumentParser
import CardexCore
import CardexSQLite
import CardexServer
import Foundation

/// The seeded population of the sync and lookup benchmarks: `--users` accounts numbered
/// +1558XXXXXXX, each with a card (name for everyone, phone for contacts) and an address book of
/// `--book-size` numbers of other seeded accounts, chosen by a fixed formula so every run seeds
/// the same data. One seeded book in 100 also holds the number of a benchmark uploader
/// (``uploader(_:)``, 50 of them), so their uploads find mutual contacts.
struct SeedOptions: ParsableArguments {
    @Option(help: "Registered accounts to seed.") var users = 100_000
    @Option(help: "Entries in each seeded account's address book.") var bookSize = 100

    static let uploaders = 50

    static func card(_ index: Int) -> Card {
        Card(fields: [
            CardField(kind: .name, value: "Seeded \(index)", audience: .everyone),
            CardField(kind: .phone, value: accounts.phone(index), audience: .contacts),
        ])
    }

    /// The seeded accounts' phones and cards (books depend on the options: ``population``).
    static let accounts = SeedPopulation(phonePrefix: "+1558", digits: 7, card: card)

    /// The phone of benchmark uploader `number` (1...``uploaders``), never a seeded account.
    static func uploader(_ number: Int) -> String { uploaderNumbers.phone(number) }
    private static let uploaderNumbers = SeedPopulation(phonePrefix: "+1559", digits: 7, card: card)

    /// The population these options describe.
    var population: SeedPopulation {
        let (users, bookSize) = (users, bookSize)
        var population = Self.accounts
        population.book = { index in
            // A fixed spread over the population: multiplicative steps modulo the user count.
            (1...bookSize).map { step in Self.accounts.phone((index &* 7919 &+ step &* 104_729) % users) }
                + (index % 100 == 0 ? [Self.uploader((index / 100) % Self.uploaders + 1)] : [])
        }
        return population
    }

    /// The time every seeded row was made (fixed, so every seed of the same options is the same).
    static let seededAt = Date(timeIntervalSince1970: 1_790_000_000)

    /// Seeds the store `configuration` names, printing progress and the time it took: a new
    /// database file at its `databasePath` (``SQLiteStore/bulkSeed(_:of:path:now:progress:)``), or
    /// its PostgreSQL database, which must have no account yet (migrated first;
    /// ``PostgresStore/bulkSeed(_:of:now:limits:progress:)``).
    func seed(into configuration: CardexServerConfiguration) async throws {
        let start = ContinuousClock.now
        let users = users
        switch configuration.database {
        case .embedded:
            try SQLiteStore.bulkSeed(users, of: population, path: configuration.databasePath, now: Self.seededAt) { done in
                if done % 100_000 == 0 { printLine("seeded \(done) of \(users) accounts (\(ContinuousClock.now - start))") }
            }
        case .postgres(let database):
            try await BenchStore.withPostgres(database) { store in
                try await store.bulkSeed(users, of: population, now: Self.seededAt) { step in
                    switch step {
                    case .copied(let table, let done) where done % 100_000 == 0 || done == users:
                        printLine("copied \(done) of \(users) accounts into \(table) (\(ContinuousClock.now - start))")
                    case .copied: break
                    case .indexed: printLine("built the indexes and foreign keys, committed (\(ContinuousClock.now - start))")
                    case .vacuumed: printLine("vacuumed and analyzed (\(ContinuousClock.now - start))")
                    }
                }
            }
        }
        printLine("seeded \(users) accounts with \(bookSize)-entry books in \(ContinuousClock.now - start)")
    }
}

/// `cardex-bench seed`: seeds a store once, for the benchmarks' `--seeded` runs: a new data
/// directory's SQLite file (`--data-dir`) or an empty PostgreSQL database (`--database`).
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Seed a data directory or a PostgreSQL database with a deterministic population (accounts, cards, address books).")

    @OptionGroup var seed: SeedOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard (store.dataDir == nil) != (store.database == nil) else {
            throw ValidationError("give --data-dir (a new SQLite file) or --database (an empty PostgreSQL database), one of them")
        }
    }

    func run() async throws {
        var configuration = CardexServerConfiguration.defaults
        configuration.dataDirectory = store.dataDir ?? "."
        configuration.database = try store.serverDatabase()
        if case .embedded = configuration.database, FileManager.default.fileExists(atPath: configuration.databasePath) {
            throw BenchError("\(configuration.databasePath) exists; seed a new directory")
        }
        try await seed.seed(into: configuration)
    }
}
