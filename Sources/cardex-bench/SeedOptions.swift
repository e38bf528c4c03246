import ArgumentParser
import CardexCore
import CardexSQLite
import Foundation

/// The seeded population of the sync benchmarks: `--users` accounts numbered +1558XXXXXXX, each
/// with a card (name for everyone, phone for contacts) and an address book of `--book-size`
/// numbers of other seeded accounts, chosen by a fixed formula so every run seeds the same data.
struct SeedOptions: ParsableArguments {
    @Option(help: "Registered accounts to seed.") var users = 100_000
    @Option(help: "Entries in each seeded account's address book.") var bookSize = 100

    static let prefix = "+1558"
    static let digits = 7

    static func phone(_ index: Int) -> String { prefix + String(format: "%07d", index) }

    static func card(_ index: Int) -> Card {
        Card(fields: [
            CardField(kind: .name, value: "Seeded \(index)", audience: .everyone),
            CardField(kind: .phone, value: phone(index), audience: .contacts),
        ])
    }

    /// Seeds the accounts in transactions of 5,000, with `extra(index)` numbers added to each
    /// book (for example the benchmark's own accounts, so matching finds them).
    func seed(into store: SQLiteStore, extra: @escaping @Sendable (Int) -> [String]) async throws {
        let (users, bookSize) = (users, bookSize)
        for start in stride(from: 0, to: users, by: 5000) {
            _ = try await store.seedAccounts(
                start..<min(start + 5000, users), phonePrefix: Self.prefix, digits: Self.digits, card: Self.card,
                book: { index in
                    // A fixed spread over the population: multiplicative steps modulo the user count.
                    (1...bookSize).map { step in Self.phone((index &* 7919 &+ step &* 104_729) % users) } + extra(index)
                },
                now: Date(timeIntervalSince1970: 1_790_000_000))
        }
    }
}
