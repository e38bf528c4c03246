import CardexCore
import CardexSQLite
import Foundation
import GRDB
import Testing

/// How the SQLite store keeps the numbers each lookup budget paid for (`lookup_paid`).
@Suite("Paid lookup numbers in the store")
struct LookupPaidStoreTests {
    static func digests(_ range: Range<Int>) -> [NumberDigest] {
        range.map { index in
            withUnsafeBytes(of: (UInt64(index).bigEndian, UInt64(index * 7 + 1).bigEndian)) { NumberDigest(prefixOf: $0) }
        }
    }

    @Test("a budget paying every second keeps few rows a day, loads every number, and forgets old days")
    func batchesMergeAndExpire() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cardex-paid-\(UUID().uuidString)/cardex.sqlite").path
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let store = try await SQLiteStore.open(SQLiteStore.Configuration(path: path))
        let (key, other) = (LookupBudgetKey.account(UserID(rawValue: "u1")), LookupBudgetKey.address("192.0.2.1"))
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let budget = StoredBudget(tokens: 1, updatedAt: start)

        // 300 saves of 100 numbers each, one a second; another budget pays once.
        for second in 0..<300 {
            let now = start.addingTimeInterval(Double(second))
            try await store.saveLookupBudgets(
                [key: budget], paid: [key: Self.digests(second * 100..<(second + 1) * 100)], refilled: [], now: now,
                forgetBefore: now.addingTimeInterval(-30 * 86_400))
        }
        try await store.saveLookupBudgets(
            [other: budget], paid: [other: Self.digests(1_000_000..<1_000_010)], refilled: [], now: start,
            forgetBefore: start.addingTimeInterval(-30 * 86_400))

        let loaded = try await store.paidNumbers(of: key, since: start.addingTimeInterval(-86_400))
        #expect(loaded.count == 30_000)
        #expect(Set(loaded) == Set(Self.digests(0..<30_000)))
        let rows = try await SQLiteStore.connection(to: path).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM lookup_paid WHERE key = ?", arguments: [key.rawValue]) ?? 0
        }
        #expect(rows <= 10, "300 batches of 1,600 bytes merge into a few rows of decreasing size")

        // Asked for numbers since a later day: none (they were paid on an earlier one).
        #expect(try await store.paidNumbers(of: key, since: start.addingTimeInterval(2 * 86_400)).isEmpty)
        // A save 31 days on deletes the old days, of every budget.
        let later = start.addingTimeInterval(31 * 86_400)
        try await store.saveLookupBudgets(
            [key: budget], paid: [key: Self.digests(50_000..<50_001)], refilled: [], now: later,
            forgetBefore: later.addingTimeInterval(-30 * 86_400))
        #expect(try await store.paidNumbers(of: key, since: start.addingTimeInterval(-86_400)) == Self.digests(50_000..<50_001))
        #expect(try await store.paidNumbers(of: other, since: start.addingTimeInterval(-86_400)).isEmpty)
    }
}
