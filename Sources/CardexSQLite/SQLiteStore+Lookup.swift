import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    /// An id no account has: an unregistered number is looked up as this person, so it runs the
    /// same queries as a hidden one.
    private static let nobody = UserID(rawValue: "00000000-0000-4000-8000-000000000000")

    public func lookUp(
        _ numbers: [PhoneNumber], digests: [Data], for reader: UserID, purpose: LookupPurpose, budgets: [LookupBudgetKey]
    ) async throws -> LookupRead {
        try readNow { db in
            var read = LookupRead()
            let account = try db.cachedStatement(sql: "SELECT id, discoverable_by FROM users WHERE phone = ?")
            for number in numbers {
                let row = try Row.fetchOne(account, arguments: [number.e164])
                let owner = row.map { UserID(rawValue: $0[0]) } ?? Self.nobody
                let setting = row.flatMap { Discoverability(rawValue: $0[1]) } ?? .nobody
                let relation = try Self.relation(of: reader, to: owner, db)
                let view = CardView(owner: owner, card: try Self.currentCard(of: owner, db), relation: relation)
                // Only discovery asks whether they know each other (the setting does not limit caller ID).
                let acquainted = try purpose == .discovery && Self.knows(reader, owner, relation, db)
                if !view.fields.isEmpty, setting.admits(acquainted: acquainted, for: purpose) {
                    read.found[number] = view
                }
            }
            let seen = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM lookup_seen WHERE key = ? AND digest = ?)")
            for key in budgets {
                var unseen = Set<Data>()
                for digest in digests where try Bool.fetchOne(seen, arguments: [key.rawValue, digest]) != true {
                    unseen.insert(digest)
                }
                read.unseen[key] = unseen
            }
            return read
        }
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

    public func saveLookupBudgets(
        _ budgets: [LookupBudgetKey: StoredBudget], paid: [LookupBudgetKey: Set<Data>], refilled: [LookupBudgetKey], now: Date
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
            let seen = try db.cachedStatement(sql: "INSERT OR IGNORE INTO lookup_seen (key, digest, seen_at) VALUES (?, ?, ?)")
            for (key, digests) in paid {
                for digest in digests {
                    try seen.execute(arguments: [key.rawValue, digest, now])
                }
            }
        }
    }

    /// Whether `reader` knows `owner`: the owner themself, a mutual contact, a common group
    /// where the reader sees the owner, or an accepted share of the owner's card.
    private static func knows(_ reader: UserID, _ owner: UserID, _ relation: Relation, _ db: Database) throws -> Bool {
        if relation.isOwner || relation.isContact || !relation.commonGroups.isEmpty { return true }
        let accepted = try db.cachedStatement(
            sql: """
                SELECT EXISTS (SELECT 1 FROM shares WHERE owner_id = ? AND recipient_user_id = ? AND state = 'accepted' AND entry IS NULL)
                """)
        return try Bool.fetchOne(accepted, arguments: [owner.rawValue, reader.rawValue]) ?? false
    }
}
