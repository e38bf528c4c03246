import CardexCore
import Foundation
import Logging
import PostgresNIO

/// The lookup budgets shared by the instances on the database: each lease or return is one READ
/// COMMITTED transaction that locks the budgets' rows (in key order, so two calls over the same
/// budgets queue instead of deadlocking), computes with ``TokenBucket`` and writes them back:
/// two statements.
/// A budget that is not stored is full: its row is made, full, when first leased from.
extension PostgresStore: SharedLookupBudgets {
    public func leaseLookupTokens(_ leases: [LookupLease], now: Date) async throws -> LookupLeaseOutcome {
        try await withLockedBudgets(leases.map { ($0.key, $0.rule) }, now: now) { buckets in
            var taken: [LookupBudgetKey: Int] = [:]
            var wait = 0
            for lease in leases {
                switch buckets[lease.key]?.take(atLeast: lease.least, atMost: lease.most, at: now) {
                case .taken(let count): taken[lease.key] = count
                case .wait(let seconds): wait = max(wait, seconds)
                case nil: throw PostgresStoreError.noRowReturned("lookup_budgets")
                }
            }
            return wait > 0 ? (.wait(seconds: wait), false) : (.taken(taken), true)
        }
    }

    public func returnLookupTokens(_ returns: [LookupLease.Return], now: Date) async throws {
        guard !returns.isEmpty else { return }
        try await withLockedBudgets(returns.map { ($0.key, $0.rule) }, now: now) { buckets in
            for given in returns { buckets[given.key]?.putBack(given.tokens, at: now) }
            return ((), true)
        }
    }

    public func dropRefilledLookupBudgets(accounts: Bool, untouchedSince before: Date) async throws {
        let pattern = (accounts ? LookupBudgetKey.accountPrefix : LookupBudgetKey.addressPrefix) + "%"
        try await withConnection { connection in
            try await connection.query(
                "DELETE FROM lookup_budgets WHERE key LIKE \(pattern) AND updated_at < \(before)", logger: pool.logger)
        }
    }

    /// In one transaction: makes the missing budgets of `keys` (full) and locks them in key
    /// order, hands them to `body`, and writes them back when it says so.
    private func withLockedBudgets<Result: Sendable>(
        _ keys: [(LookupBudgetKey, BudgetRule)], now: Date,
        _ body: @escaping @Sendable (inout [LookupBudgetKey: TokenBucket]) throws -> (Result, write: Bool)
    ) async throws -> Result {
        let rules = Dictionary(keys, uniquingKeysWith: { first, _ in first })
        let names = rules.keys.map(\.rawValue).sorted()
        let bursts = names.map { Double(rules[LookupBudgetKey(rawValue: $0)]!.burst) }
        let logger = pool.logger
        return try await translatingFailures {
            try await pool.withTransaction(.readCommitted) { connection in
                // One statement makes the missing budgets (full) and locks them all, in key
                // order: the no-op update locks an existing row where DO NOTHING would not, so a
                // deletion of refilled budgets cannot take it away before it is read.
                let rows = try await connection.query(
                    """
                    INSERT INTO lookup_budgets AS b (key, tokens, updated_at)
                    SELECT key, tokens, \(now)::timestamptz FROM UNNEST(\(names)::text[], \(bursts)::float8[]) AS n (key, tokens)
                    ORDER BY key
                    ON CONFLICT (key) DO UPDATE SET tokens = b.tokens
                    RETURNING b.key, b.tokens, b.updated_at
                    """, logger: logger)
                var buckets: [LookupBudgetKey: TokenBucket] = [:]
                for try await (name, tokens, updatedAt) in rows.decode((String, Double, Date).self) {
                    let key = LookupBudgetKey(rawValue: name)
                    if let rule = rules[key] { buckets[key] = TokenBucket(rule: rule, tokens: tokens, updatedAt: updatedAt) }
                }
                let (result, write) = try body(&buckets)
                if write {
                    let changed = buckets.sorted { $0.key.rawValue < $1.key.rawValue }
                    try await connection.query(
                        """
                        UPDATE lookup_budgets b SET tokens = u.tokens, updated_at = u.updated_at
                        FROM UNNEST(\(changed.map(\.key.rawValue))::text[], \(changed.map(\.value.tokens))::float8[],
                                    \(changed.map(\.value.updatedAt))::timestamptz[]) AS u (key, tokens, updated_at)
                        WHERE b.key = u.key
                        """, logger: logger)
                }
                return result
            }
        }
    }
}
