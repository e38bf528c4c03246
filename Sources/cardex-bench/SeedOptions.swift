import ArgumentParser
import CardexCore
import CardexSQLite
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

    /// Seeds a new database file at `path` (``SQLiteStore/bulkSeed(_:of:path:now:progress:)``),
    /// printing progress and the time it took.
    func seed(path: String) throws {
        let start = ContinuousClock.now
        try SQLiteStore.bulkSeed(users, of: population, path: path, now: Date(timeIntervalSince1970: 1_790_000_000)) { done in
            if done % 100_000 == 0 { printLine("seeded \(done) of \(users) accounts (\(ContinuousClock.now - start))") }
        }
        printLine("seeded \(users) accounts with \(bookSize)-entry books in \(ContinuousClock.now - start)")
    }
}

/// `cardex-bench seed`: seeds a data directory once, for the benchmarks' `--seeded` runs.
struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Seed a data directory with a deterministic population (accounts, cards, address books).")

    @OptionGroup var seed: SeedOptions
    @Option(help: "The data directory to create (its cardex.sqlite must not exist yet).") var dataDir: String

    func run() throws {
        let path = URL(fileURLWithPath: dataDir).appendingPathComponent("cardex.sqlite").path
        guard !FileManager.default.fileExists(atPath: path) else { throw BenchError("\(path) exists; seed a new directory") }
        try seed.seed(path: path)
    }
}
