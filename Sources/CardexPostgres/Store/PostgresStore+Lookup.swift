import CardexCore
import Foundation
import Logging
import PostgresNIO

/// The lookup budgets' persistence, laid out as on SQLite (``PaidNumberBatches``). A save is one
/// SERIALIZABLE transaction, retried on conflict: several instances may save the same budget.
extension PostgresStore: LookupStore {
    public func lookupBudgets() async throws -> [LookupBudgetKey: StoredBudget] {
        try await withConnection { connection in
            let rows = try await connection.query("SELECT key, tokens, updated_at FROM lookup_budgets", logger: pool.logger)
            var budgets: [LookupBudgetKey: StoredBudget] = [:]
            for try await (key, tokens, updatedAt) in rows.decode((String, Double, Date).self) {
                budgets[LookupBudgetKey(rawValue: key)] = StoredBudget(tokens: tokens, updatedAt: updatedAt)
            }
            return budgets
        }
    }

    public func paidNumbers(of key: LookupBudgetKey, since: Date) async throws -> [NumberDigest] {
        try await withConnection { connection in
            let rows = try await connection.query(
                "SELECT digests FROM lookup_paid WHERE key = \(key.rawValue) AND day >= \(PaidNumberBatches.day(of: since))",
                logger: pool.logger)
            var digests: [NumberDigest] = []
            for try await (packed, ) in rows.decode((Data,).self) {
                guard let batch = NumberDigest.unpack(packed) else {
                    throw PostgresStoreError.malformedPaidBatch(bytes: packed.count)
                }
                digests += batch
            }
            return digests
        }
    }

    public func saveLookupBudgets(
        _ budgets: [LookupBudgetKey: StoredBudget], paid: [LookupBudgetKey: [NumberDigest]], refilled: [LookupBudgetKey],
        now: Date, forgetBefore: Date
    ) async throws {
        let logger = pool.logger
        try await translatingFailures {
            try await pool.withRetryingTransaction(.serializable, retry: retryPolicy) { connection in
                if !refilled.isEmpty {
                    try await connection.query("DELETE FROM lookup_budgets WHERE key = ANY(\(refilled.map(\.rawValue)))", logger: logger)
                }
                if !budgets.isEmpty {
                    let entries = Array(budgets)
                    try await connection.query(
                        """
                        INSERT INTO lookup_budgets (key, tokens, updated_at)
                        SELECT * FROM UNNEST(\(entries.map(\.key.rawValue))::text[], \(entries.map(\.value.tokens))::float8[],
                                             \(entries.map(\.value.updatedAt))::timestamptz[])
                        ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at
                        """,
                        logger: logger)
                }
                let today = PaidNumberBatches.day(of: now)
                for (key, digests) in paid where !digests.isEmpty {
                    try await Self.appendPaid(digests, to: key, day: today, connection, logger)
                }
                try await connection.query("DELETE FROM lookup_paid WHERE day < \(PaidNumberBatches.day(of: forgetBefore))", logger: logger)
            }
        }
    }

    /// Appends a batch of paid numbers to `key`'s for `day`, then merges the newest batches as
    /// ``PaidNumberBatches/mergeStart(sizes:)`` says.
    private static func appendPaid(
        _ digests: [NumberDigest], to key: LookupBudgetKey, day: Int, _ connection: PostgresConnection, _ logger: Logger
    ) async throws {
        try await connection.query(
            "INSERT INTO lookup_paid (key, day, digests) VALUES (\(key.rawValue), \(day), \(NumberDigest.pack(digests)))", logger: logger)
        let rows = try await connection.query(
            "SELECT id, length(digests) FROM lookup_paid WHERE key = \(key.rawValue) AND day = \(day) ORDER BY id", logger: logger)
        var batches: [(id: Int64, size: Int)] = []
        for try await (id, size) in rows.decode((Int64, Int32).self) { batches.append((id, Int(size))) }
        guard let first = PaidNumberBatches.mergeStart(sizes: batches.map(\.size)) else { return }
        let ids = batches[first...].map(\.id)
        var packed = Data(capacity: batches[first...].reduce(0) { $0 + $1.size })
        let read = try await connection.query("SELECT digests FROM lookup_paid WHERE id = ANY(\(ids)) ORDER BY id", logger: logger)
        for try await (batch, ) in read.decode((Data,).self) { packed += batch }
        try await connection.query("DELETE FROM lookup_paid WHERE id = ANY(\(ids))", logger: logger)
        try await connection.query("INSERT INTO lookup_paid (key, day, digests) VALUES (\(key.rawValue), \(day), \(packed))", logger: logger)
    }
}
