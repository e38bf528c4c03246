import CardexCore
import Foundation
import GRDB
import Testing

@testable import CardexSQLite

@Suite("An upload reads the books' index of numbers ahead of its inserts")
struct BookIndexPrefetcherTests {
    private static func book(_ count: Int, from first: Int) -> [BookEntry] {
        (first..<first + count).map { index in
            let phone = "+1555" + String(format: "%07d", index)
            return BookEntry(clientEntryID: "e\(index)", name: "Person \(index)", phones: [phone], numbers: [PhoneNumber(e164: phone)])
        }
    }

    @Test("uploads large enough to read ahead store what smaller ones store, and the reads cover every number")
    func uploadsReadAhead() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prefetch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await SQLiteStore.open(SQLiteStore.Configuration(path: directory.appendingPathComponent("cardex.sqlite").path))
        let (ada, bo) = (UserID(rawValue: "ada"), UserID(rawValue: "bo"))
        // Ada's book of 300 (read ahead), Bo's of 20 (too few), overlapping Ada's in 10 numbers.
        for (owner, entries) in [(ada, Self.book(300, from: 0)), (bo, Self.book(20, from: 290))] {
            let changes = try await store.write { transaction in
                try await transaction.applyBookChanges(
                    of: owner, upserts: entries, removals: [], replace: false, at: Date(), keepingLog: BookLog.keptEntries)
            }
            #expect(changes.added == entries.count)
        }
        let holders = try await store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT owner_id FROM book_numbers WHERE phone = ? ORDER BY owner_id", arguments: ["+15550000295"])
        }
        #expect(holders == ["ada", "bo"])
        let counts = try await store.pool.read { db in
            try ["ada", "bo"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM book_numbers WHERE owner_id = ?", arguments: [$0]) ?? 0 }
        }
        #expect(counts == [300, 20])

        // Every number is looked up, known or not; a batch below the threshold is not.
        let phones = Self.book(400, from: 100).map { $0.numbers[0].e164 }
        #expect(store.bookPrefetcher.warm(phones) == 400)
        #expect(store.bookPrefetcher.warm(Array(phones.prefix(BookIndexPrefetcher.smallestBatch - 1))) == 0)
    }
}
