import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    /// An id no account has: an unregistered number is looked up as this person, so it runs the
    /// same queries as a hidden one.
    private static let nobody = UserID(rawValue: "00000000-0000-4000-8000-000000000000")

    public func lookUp(_ queries: [NumberQuery], for reader: UserID, purpose: LookupPurpose) async throws -> [NumberMatch?] {
        try await readOffLoop { db in
            let account = try db.cachedStatement(sql: "SELECT id, discoverable_by FROM users WHERE phone = ?")
            return try queries.map { query in
                let row = try Row.fetchOne(account, arguments: [query.number.e164])
                let holder = try Self.findable(
                    row.map { UserID(rawValue: $0[0]) } ?? Self.nobody, setting: row.flatMap { Discoverability(rawValue: $0[1]) } ?? .nobody,
                    by: reader, for: purpose, db)
                // Without a local name, or when the holder has that name, this is the person.
                guard let name = query.localName, holder?.view.hasName(name) != true else {
                    return holder.map { NumberMatch(view: $0.view) }
                }
                return try Self.formerHolder(of: query.number, named: name, by: reader, for: purpose, db)
                    .map { NumberMatch(view: $0, numberChanged: true) }
            }
        }
    }

    /// The view `reader` has of `owner` (and their relation), when it shows something and
    /// `owner`'s setting lets the reader find them by number: the one check every
    /// number-to-person answer passes.
    private static func findable(
        _ owner: UserID, setting: Discoverability, by reader: UserID, for purpose: LookupPurpose, _ db: Database
    ) throws -> (view: CardView, relation: Relation)? {
        let relation = try relation(of: reader, to: owner, db)
        let view = CardView(owner: owner, card: try currentCard(of: owner, db), relation: relation)
        return !view.fields.isEmpty && setting.admits(acquainted: relation.isAcquainted, for: purpose) ? (view, relation) : nil
    }

    /// A person `reader` may find who had `phone` before, under `name`: in an earlier version of
    /// their card (a phone field), or as their account number.
    private static func formerHolder(
        of phone: PhoneNumber, named name: String, by reader: UserID, for purpose: LookupPurpose, _ db: Database
    ) throws -> CardView? {
        let candidates = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT former_phones.user_id, users.discoverable_by FROM former_phones JOIN users ON users.id = former_phones.user_id
                    WHERE former_phones.phone = ? ORDER BY former_phones.until DESC
                    """),
            arguments: [phone.e164])
        for row in candidates {
            let candidate = UserID(rawValue: row[0])
            guard candidate != reader,
                let (view, relation) = try findable(candidate, setting: Discoverability(rawValue: row[1]) ?? .nobody, by: reader, for: purpose, db)
            else { continue }
            let earlier = try previousCards(of: candidate, db).map { CardView(owner: candidate, card: $0, relation: relation) }
            if view.hasName(name) || earlier.contains(where: { $0.hasName(name) }) { return view }
        }
        return nil
    }

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
            let rows = try Data.fetchCursor(batches, arguments: [key.rawValue, Self.day(of: since)])
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
            let today = Self.day(of: now)
            for (key, digests) in paid where !digests.isEmpty {
                try Self.appendPaid(digests, to: key, day: today, db)
            }
            try db.cachedStatement(sql: "DELETE FROM lookup_paid WHERE day < ?").execute(arguments: [Self.day(of: forgetBefore)])
        }
    }

    /// The largest batch merging makes: past it batches are left as they are, so no save
    /// rewrites more than this (65,536 numbers).
    private static let mergedBatchBytes = 1 << 20

    /// Appends a batch of paid numbers to `key`'s for `day`, then merges the newest batches while
    /// the one before them is no larger than they are together (and the result stays within
    /// ``mergedBatchBytes``): the day's batches stay in decreasing sizes, so a budget that pays
    /// every second holds a few dozen rows a day at most, and each number is rewritten a few
    /// times at most.
    private static func appendPaid(_ digests: [NumberDigest], to key: LookupBudgetKey, day: Int, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO lookup_paid (key, day, digests) VALUES (?, ?, ?)")
            .execute(arguments: [key.rawValue, day, NumberDigest.pack(digests)])
        let batches = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT id, length(digests) FROM lookup_paid WHERE key = ? AND day = ? ORDER BY id"),
            arguments: [key.rawValue, day])
        let sizes = batches.map { $0[1] as Int }
        guard var first = sizes.indices.last else { return }
        var merged = sizes[first]
        while first > 0, sizes[first - 1] <= merged, merged + sizes[first - 1] <= mergedBatchBytes {
            first -= 1
            merged += sizes[first]
        }
        guard first < sizes.count - 1 else { return }
        let ids = batches[first...].map { $0[0] as Int64 }
        let read = try db.cachedStatement(sql: "SELECT digests FROM lookup_paid WHERE id = ?")
        var packed = Data(capacity: merged)
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

    /// Whole days since 1970 (UTC): the day a batch of paid numbers is filed under.
    static func day(of date: Date) -> Int { Int((date.timeIntervalSince1970 / 86_400).rounded(.down)) }

    private static func unpack(_ packed: Data) throws -> [NumberDigest] {
        guard let digests = NumberDigest.unpack(packed) else {
            throw DatabaseError(message: "a lookup_paid batch of \(packed.count) bytes is no whole number of digests")
        }
        return digests
    }
}
