import CardexCore
import CardexStorage
import Foundation
import Logging
import PostgresNIO

/// The `COPY … FROM STDIN` of a bulk seed: the rows of the seeded accounts, table by table, in
/// each table's primary-key order (accounts by id, entries by client id as text), with the
/// content rules every store's seeder shares (``SeedPopulation/account(_:)``: settings, card,
/// etag, book entries as `BookEntry.storedJSON`).
struct SeedCopy {
    /// The tables filled, in the order they are copied (the referenced one first).
    static let tables = ["users", "cards", "book_entries", "book_numbers"]

    let population: SeedPopulation
    /// The accounts' ids and indices, in id order.
    let accounts: [(id: String, index: Int)]
    /// `created_at` and `updated_at` of every row, as COPY text.
    let time: String
    let limits: PostgresBulkSeedLimits
    let logger: Logger

    init(_ count: Int, of population: SeedPopulation, now: Date, limits: PostgresBulkSeedLimits, logger: Logger) {
        self.population = population
        accounts = (0..<count).map { (population.userID($0).rawValue, $0) }.sorted { $0.id < $1.id }
        time = CopyTextRows.timestamp(now)
        self.limits = limits
        self.logger = logger
    }

    /// Copies every table's rows on `connection`, reporting each table's progress.
    func copyAll(_ connection: PostgresConnection, progress: (PostgresBulkSeedProgress) -> Void) async throws {
        let settings = SeedPopulation.settings
        let (cloud, autoSend) = (settings.cloudAddressBook ? "t" : "f", settings.autoSendCard ? "t" : "f")
        try await copy("users", ["id", "phone", "created_at", "cloud_address_book", "auto_send_card", "discoverable_by"], connection, progress) {
            rows, id, index in
            rows.text(id)
            rows.text(population.phone(index))
            rows.plain(time)
            rows.plain(cloud)
            rows.plain(autoSend)
            rows.text(settings.discoverableBy.rawValue)
            rows.endRow()
        }
        try await copy("cards", ["user_id", "version", "etag", "content", "updated_at"], connection, progress) { rows, id, index in
            let card = population.card(index)
            rows.text(id)
            rows.plain("1")
            rows.text(ETag.ofCard(card))
            rows.bytes(StoredCardCodec.encode(card))
            rows.plain(time)
            rows.endRow()
        }
        try await copy("book_entries", ["owner_id", "client_entry_id", "content", "updated_at"], connection, progress) { rows, id, index in
            for entry in population.bookEntries(index) {
                rows.text(id)
                rows.text(entry.clientEntryID)
                rows.text(entry.storedJSON)
                rows.plain(time)
                rows.endRow()
            }
        }
        try await copy("book_numbers", ["owner_id", "client_entry_id", "phone"], connection, progress) { rows, id, index in
            for entry in population.bookEntries(index) {
                // Each number once per entry, in order: the primary key is (owner, entry, phone).
                let phones = entry.numbers.count < 2 ? entry.numbers.map(\.e164) : Set(entry.numbers.map(\.e164)).sorted()
                for phone in phones {
                    rows.text(id)
                    rows.text(entry.clientEntryID)
                    rows.text(phone)
                    rows.endRow()
                }
            }
        }
    }

    /// One COPY into `table`: `row` appends the rows of one account (its id and index), sent
    /// in messages of about ``PostgresBulkSeedLimits/copyChunkBytes``.
    private func copy(
        _ table: String, _ columns: [String], _ connection: PostgresConnection, _ progress: (PostgresBulkSeedProgress) -> Void,
        row: (inout CopyTextRows, String, Int) -> Void
    ) async throws {
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            var rows = CopyTextRows(capacity: limits.copyChunkBytes + limits.copyChunkBytes / 2)
            for (done, account) in accounts.enumerated() {
                row(&rows, account.id, account.index)
                if rows.buffer.readableBytes >= limits.copyChunkBytes {
                    try await writer.write(rows.take())
                }
                if (done + 1) % limits.progressInterval == 0, done + 1 < accounts.count {
                    progress(.copied(table: table, accounts: done + 1))
                }
            }
            if rows.buffer.readableBytes > 0 {
                try await writer.write(rows.take())
            }
        }
        progress(.copied(table: table, accounts: accounts.count))
    }
}
