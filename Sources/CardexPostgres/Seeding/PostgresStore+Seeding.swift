import CardexCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Writes the accounts `indices` of `population` (``SeedPopulation/account(_:)``: account,
    /// card at version 1, address book) in one write transaction, for benchmarks and seeding
    /// tools: no codes, sessions, events, notifications or mutual matching are made.
    /// - Returns: the new accounts' ids, in index order.
    public func seedAccounts(_ indices: Range<Int>, of population: SeedPopulation, now: Date) async throws -> [UserID] {
        try await write { transaction in
            var ids: [UserID] = []
            for index in indices {
                let account = population.account(index)
                try await transaction.insertAccount(
                    Account(userID: account.userID, phone: PhoneNumber(e164: account.phone), createdAt: now, settings: SeedPopulation.settings))
                try await transaction.saveCard(
                    StoredCard(card: account.card, version: 1, etag: account.etag, updatedAt: now), of: account.userID, historyLimit: 0)
                if !account.book.isEmpty {
                    _ = try await transaction.applyBookChanges(of: account.userID, upserts: account.book, removals: [], replace: false, at: now)
                }
                ids.append(account.userID)
            }
            return ids
        }
    }

    /// Adds accounts to a group as untagged members in one write transaction (no events);
    /// ids with no account are skipped.
    public func seedMembers(_ users: [UserID], of groupID: String, now: Date) async throws {
        try await write { transaction in
            for user in users {
                guard let account = try await transaction.account(user) else { continue }
                try await transaction.insertMember(
                    GroupMember(user: user, phone: account.phone, role: .member, tag: nil, joinedAt: now), in: groupID)
            }
        }
    }

    /// Seeds accounts `0..<count` of `population` (``SeedPopulation/account(_:)``, the rows
    /// `SQLiteStore.bulkSeed` writes) into this store's database as fast as PostgreSQL goes, for
    /// benchmarks at scale. The database must have no account yet, and nothing else may use it
    /// meanwhile: the tables are locked until the seed commits.
    ///
    /// One transaction (all or nothing: a failure leaves the database empty, as it was): the
    /// foreign keys and plain indexes of `users`, `cards`, `book_entries` and `book_numbers` are
    /// dropped (their definitions read from the catalog), each table's rows are sent by one
    /// `COPY … FROM STDIN` in primary-key order (accounts by id), then the indexes are built by
    /// sort and the foreign keys added back, checked by one join each. After the commit,
    /// `VACUUM (ANALYZE)` sets the pages' visibility and the planner's statistics, so that
    /// neither autovacuum nor first reads rewrite the seeded pages during a benchmark.
    /// `synchronous_commit` is left alone: there is one commit.
    ///
    /// - Parameter progress: called as each table's copy advances (every
    ///   ``PostgresBulkSeedLimits/progressInterval`` accounts and at its end), once the indexes
    ///   are built and committed, and once the vacuum is done.
    /// - Throws: ``PostgresSeedingError/databaseNotEmpty`` when the database has an account (nothing
    ///   is changed); a `PSQLError` when a statement fails (nothing is kept, unless the vacuum failed).
    public func bulkSeed(
        _ count: Int, of population: SeedPopulation, now: Date, limits: PostgresBulkSeedLimits = .defaults,
        progress: (PostgresBulkSeedProgress) -> Void = { _ in }
    ) async throws {
        let logger = pool.logger
        let copy = SeedCopy(count, of: population, now: now, limits: limits, logger: logger)
        try await pool.withTransaction(.readCommitted) { connection in
            try await connection.query(
                """
                SELECT set_config('statement_timeout', '0', true),
                       set_config('maintenance_work_mem', \("\(limits.maintenanceWorkMemoryMiB)MB"), true),
                       set_config('work_mem', \("\(limits.workMemoryMiB)MB"), true)
                """,
                logger: logger)
            let empty = try await connection.query("SELECT NOT EXISTS (SELECT 1 FROM users)", logger: logger).decode(Bool.self)
                .first { _ in true }
            guard empty == true else { throw PostgresSeedingError.databaseNotEmpty }
            let deferred = try await DeferredSchema.read(of: SeedCopy.tables, connection, logger: logger)
            try await deferred.drop(connection, logger: logger)
            try await copy.copyAll(connection, progress: progress)
            try await deferred.recreate(connection, logger: logger)
        }
        progress(.indexed)
        try await pool.withConnection { connection in
            // VACUUM runs outside a transaction, so the timeout is lifted for the session and restored after.
            try await connection.query("SET statement_timeout = 0", logger: logger)
            do {
                try await connection.query(
                    PostgresQuery(unsafeSQL: "VACUUM (ANALYZE) " + SeedCopy.tables.joined(separator: ", ")), logger: logger)
            } catch {
                _ = try? await connection.query("RESET statement_timeout", logger: logger)
                throw error
            }
            try await connection.query("RESET statement_timeout", logger: logger)
        }
        progress(.vacuumed)
    }
}
