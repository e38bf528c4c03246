import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    public func lookupBudgets() async throws -> [LookupBudgetKey: StoredBudget] {
        try await pool.read { db in
            var budgets: [LookupBudgetKey: StoredBudget] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT key, tokens, updated_at FROM lookup_budgets")
            while let row = try rows.next() {
                budgets[LookupBudgetKey(rawValue: row[0])] = StoredBudget(tokens: row[1], updatedAt: row[2])
            }
            return budgets
        }
    }

    public func paidNumbers(of key: LookupBudgetKey, since: Date) async throws -> [NumberDigest] {
        // Through the pool, off the caller's thread: once per budget a day, up to megabytes.
        try await pool.read { db in
            let batches = try db.cachedStatement(sql: "SELECT digests FROM lookup_paid WHERE key = ? AND day >= ?")
            var digests: [NumberDigest] = []
            let rows = try Data.fetchCursor(batches, arguments: [key.rawValue, PaidNumberBatches.day(of: since)])
            while let packed = try rows.next() {
                digests += try Self.unpack(packed)
            }
            return digests
        }
    }

    public func saveLookupBudgets(
        _ budgets: [LookupBudgetKey: StoredBudget], paid: [LookupBudgetKey: [NumberDigest]], refilled: [LookupBudgetKey],
        now: Date, forgetBefore: Date
    ) async throws {
        try await pool.write { db in
            let forget = try db.cachedStatement(sql: "DELETE FROM lookup_budgets WHERE key = ?")
            for key in refilled {
                try forget.execute(arguments: [key.rawValue])
            }
            let budget = try db.cachedStatement(sql: "INSERT OR REPLACE INTO lookup_budgets (key, tokens, updated_at) VALUES (?, ?, ?)")
            for (key, state) in budgets {
                try budget.execute(arguments: [key.rawValue, state.tokens, state.updatedAt])
            }
            let today = PaidNumberBatches.day(of: now)
            for (key, digests) in paid where !digests.isEmpty {
                try Self.appendPaid(digests, to: key, day: today, db)
            }
            try db.cachedStatement(sql: "DELETE FROM lookup_paid WHERE day < ?").execute(arguments: [PaidNumberBatches.day(of: forgetBefore)])
        }
    }

    /// Appends a batch of paid numbers to `key`'s for `day`, then merges the newest batches as
    /// ``PaidNumberBatches/mergeStart(sizes:)`` says.
    private static func appendPaid(_ digests: [NumberDigest], to key: LookupBudgetKey, day: Int, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO lookup_paid (key, day, digests) VALUES (?, ?, ?)")
            .execute(arguments: [key.rawValue, day, NumberDigest.pack(digests)])
        let batches = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT id, length(digests) FROM lookup_paid WHERE key = ? AND day = ? ORDER BY id"),
            arguments: [key.rawValue, day])
        let sizes = batches.map { $0[1] as Int }
        guard let first = PaidNumberBatches.mergeStart(sizes: sizes) else { return }
        let ids = batches[first...].map { $0[0] as Int64 }
        let read = try db.cachedStatement(sql: "SELECT digests FROM lookup_paid WHERE id = ?")
        var packed = Data(capacity: sizes[first...].reduce(0, +))
        for id in ids {
            packed += try Data.fetchOne(read, arguments: [id]) ?? Data()
        }
        let delete = try db.cachedStatement(sql: "DELETE FROM lookup_paid WHERE id = ?")
        for id in ids {
            try delete.execute(arguments: [id])
        }
        try db.cachedStatement(sql: "INSERT INTO lookup_paid (key, day, digests) VALUES (?, ?, ?)")
            .execute(arguments: [key.rawValue, day, packed])
    }

    private static func unpack(_ packed: Data) throws -> [NumberDigest] {
        guard let digests = NumberDigest.unpack(packed) else {
            throw DatabaseError(message: "a lookup_paid batch of \(packed.count) bytes is no whole number of digests")
        }
        return digests
    }
}
