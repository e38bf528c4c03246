import CardexCore
import Foundation
import PostgresNIO

/// Cardex's store on PostgreSQL: the use-case layer's ``TransactionalStore`` over a
/// ``PostgresConnectionPool``. It persists and decides nothing; each transaction is a
/// ``PostgresTransaction`` on one pooled connection.
///
/// **Isolation, and why.** The use cases are written once, above the store, for SQLite's single
/// writer: every write transaction behaves as if it ran alone. Many of them read, check a rule,
/// then write ("fewer than N unanswered shares, then insert"; "not a member yet, then join";
/// "the stored etag is the one the client sent, then save"), and they take no locks: the store
/// protocols have no lock call, and the rules must not depend on the backend. So:
///
/// - ``write(_:)`` runs at **SERIALIZABLE**. PostgreSQL's serializable snapshot isolation
///   guarantees that committed transactions have the effect of some serial order, which is what
///   SQLite's single writer gives: two checks-then-writes on the same rows cannot both pass on
///   stale reads. READ COMMITTED with row locks would need each use case to say what to lock
///   (a rule of the backend leaking into the use cases), and REPEATABLE READ still allows write
///   skew (two transactions each read what the other writes). When PostgreSQL cannot place a
///   transaction in a serial order it fails it (SQLSTATE 40001, or 40P01 for a deadlock); the
///   whole body then runs again from scratch, on a fresh snapshot, through
///   ``PostgresConnectionPool/withRetryingTransaction(_:retry:clock:_:)`` with the
///   ``PostgresRetryPolicy`` given at creation. That is safe because a use-case body does only
///   database work until it returns (the outbox is woken, and events are published, after commit).
///   SSI tracks reads with predicate locks that can cover more than the rows read (a page, or a
///   whole relation once a transaction reads many rows), so unrelated transactions now and then
///   fail and rerun too. After the policy's last attempt the conflict's error reaches the caller.
/// - **Event sequences** follow: ``EventWriting/appendEvents(_:at:)`` bumps the `event_counters`
///   row of each person it appends to, all of them in one upsert. Two transactions appending to
///   one person both write that row; the second waits for the first and, once it commits, fails
///   with 40001 and is retried, now reading the committed counter. Numbers are therefore gap-free
///   and in commit order, with no lock taken by the use case. The upsert takes its rows in
///   user-id order, so two batches over overlapping people (two card updates fanning out to
///   shared holders) queue on the first row they share instead of each holding a row the other
///   waits for; such a deadlock would end in 40P01 and a retry too, but only after PostgreSQL's
///   `deadlock_timeout` (1 s by default). A transaction that appends in several calls can still
///   deadlock that way with another; it is retried. The cost is a retry per collision: a person
///   whose log many transactions append to at the same instant (a popular card updated while
///   many others write to its holders) sees some of them run twice.
/// - ``read(_:)`` runs at **REPEATABLE READ, READ ONLY**: one snapshot for the whole body (the
///   guarantee ``TransactionalStore`` asks of reads), never a serialization failure, no
///   predicate locks, and no write can slip in. A read-only transaction at this level may, in
///   rare interleavings, see a state that no serial order of the concurrent writes produces
///   (PostgreSQL's "read-only anomaly"); SERIALIZABLE READ ONLY DEFERRABLE would exclude that at
///   the price of waiting for a safe snapshot. No read use case acts on what it reads (acting
///   needs a write transaction, which re-reads under SERIALIZABLE), so one committed snapshot is
///   enough.
/// - ``readEach(_:)`` runs each statement as a transaction of its own (no BEGIN, no COMMIT:
///   two round trips fewer), each on its own snapshot. Lookups use it: each answer is one
///   statement.
///
/// Store work runs on the caller's task; postgres-nio's event loops only move bytes.
public final class PostgresStore: TransactionalStore {
    /// The pool the store's transactions take connections from.
    public let pool: PostgresConnectionPool
    /// How write transactions that met a serialization failure or deadlock are run again.
    public let retryPolicy: PostgresRetryPolicy
    /// This store's name among the instances sharing the database: the origin of the events it
    /// stores (each write that appends events announces them, see ``PostgresInstanceSignals``)
    /// and the holder of the devices it reports online.
    public let instance: String

    /// How write transactions are retried unless told otherwise: 30 attempts in all, with
    /// ``PostgresRetryPolicy``'s default pauses (random, up to 5 ms doubling per attempt, at most
    /// 100 ms), so a transaction gives up after about 2.5 s of conflicts. Transactions that check
    /// and write one key collide: appends to one person's events (its counter row), code
    /// requests from one client address (the per-address limit's count and insert); a loser gives
    /// its connection back while it pauses, so newer transactions can beat it again. With 5
    /// attempts, 20 concurrent appends to one person on 4 connections failed in 2 of 5 runs of the
    /// store contract on a loaded machine (0 of 16 with 10); with 10, 32 concurrent code requests
    /// from one address (`cardex-bench fanout`'s sign-ins) had one fail with ABORTED.
    public static var defaultRetryPolicy: PostgresRetryPolicy {
        var policy = PostgresRetryPolicy.defaults
        policy.maxAttempts = 30
        return policy
    }

    /// Creates a store on `pool` and brings its database's schema up to date (``PostgresMigrator``).
    ///
    /// The pool's ``PostgresConnectionPool/run()`` must be running (the server runs it as a
    /// service): until it does, this waits for a connection.
    ///
    /// - Parameters:
    ///   - retryPolicy: for write transactions that conflict; default ``defaultRetryPolicy``.
    ///   - migrator: default Cardex's schema.
    ///   - instance: this store's name among those on the database; default a new random one.
    /// - Throws: ``PostgresMigrationError`` for a database whose schema this version does not
    ///   know; a `PSQLError` when the database cannot be reached or a migration fails.
    public init(
        pool: PostgresConnectionPool, retryPolicy: PostgresRetryPolicy = PostgresStore.defaultRetryPolicy, migrator: PostgresMigrator = PostgresMigrator(),
        instance: String = UUID().uuidString.lowercased()
    ) async throws {
        self.pool = pool
        self.retryPolicy = retryPolicy
        self.instance = instance
        try await migrator.migrate(pool)
    }

    /// Runs `body` in a REPEATABLE READ, READ ONLY transaction: one snapshot.
    /// - Throws: what `body` throws; ``StoreFailure`` for PostgreSQL's own failures.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any ReadTransaction) async throws -> T) async throws -> T {
        try await translatingFailures {
            try await pool.withTransaction(.repeatableRead, readOnly: true) { connection in
                try await body(PostgresTransaction(connection, logger: pool.logger, instance: instance))
            }
        }
    }

    /// Runs `body` on a pooled connection outside any transaction: each statement is a
    /// transaction of its own (READ COMMITTED, on its own snapshot), which saves the two round
    /// trips of BEGIN and COMMIT. ``PostgresTransaction`` does not write here (no use case writes
    /// in a read), so nothing is left half done.
    public func readEach<T: Sendable>(_ body: @escaping @Sendable (any ReadTransaction) async throws -> T) async throws -> T {
        try await withConnection { connection in
            try await body(PostgresTransaction(connection, logger: pool.logger, instance: instance))
        }
    }

    /// Runs `body` in a SERIALIZABLE transaction, run again from scratch when it conflicts with
    /// another (see the type's documentation); committed when it returns.
    /// - Throws: what `body` throws; ``StoreFailure`` for PostgreSQL's own failures (kind
    ///   `conflict` once the retry policy's attempts are spent).
    public func write<T: Sendable>(_ body: @escaping @Sendable (any WriteTransaction) async throws -> T) async throws -> T {
        try await translatingFailures {
            try await pool.withRetryingTransaction(.serializable, retry: retryPolicy) { connection in
                try await body(PostgresTransaction(connection, logger: pool.logger, instance: instance))
            }
        }
    }

    /// Runs one trivial statement on a pooled connection: whether the database answers (for
    /// health checks).
    /// - Throws: ``StoreFailure`` when it does not.
    public func ping() async throws {
        try await withConnection { connection in
            _ = try await connection.query("SELECT 1", logger: pool.logger).collect()
        }
    }

    /// Lends a connection outside any transaction (``PostgresConnectionPool/withConnection(_:)``),
    /// with postgres-nio's errors as ``StoreFailure``s.
    @discardableResult
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await translatingFailures { try await pool.withConnection(body) }
    }

    /// Runs `work`, turning postgres-nio's errors into ``StoreFailure``s; others pass unchanged.
    func translatingFailures<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch {
            throw StoreFailure(postgres: error) ?? error
        }
    }
}
