import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    public func card(of user: UserID) async throws -> StoredCard? {
        try await pool.read { db in try Self.currentCard(of: user, db) }
    }

    public func saveCard(
        _ card: Card, of user: UserID, ifMatch: String?, historyLimit: Int, now: Date
    ) async throws -> (StoredCard, changed: Bool) {
        try await writeWithEvents(now: now) { db, log in
            guard try UserRecord.exists(db, key: user.rawValue) else {
                throw CardexError.notFound("the account no longer exists")
            }
            let current = try CardRecord.fetchOne(db, key: user.rawValue)
            if let ifMatch, ifMatch != current?.etag {
                throw CardexError.failedPrecondition(
                    "the card changed since etag \(ifMatch) was read (it is now \(current?.etag ?? "empty")): read it again and reapply the change")
            }
            let etag = ETag.ofCard(card)
            if let current, current.etag == etag { return (current.stored, changed: false) }

            let version = (current?.version ?? 0) + 1
            // Timestamps only move forward, even if the clock steps back.
            let updatedAt = max(now, current.map { $0.updatedAt.addingTimeInterval(0.001) } ?? now)
            if let current {
                let kept = Set(card.fields.filter { $0.kind == .phone }.map(\.value))
                let dropped = current.content.fields.filter { $0.kind == .phone && !kept.contains($0.value) }.map(\.value)
                try Self.recordFormerPhones(dropped, of: user, now: now, db)
                try db.execute(
                    sql: """
                        INSERT INTO card_history (user_id, version, etag, content, updated_at)
                        SELECT user_id, version, etag, content, updated_at FROM cards WHERE user_id = ?
                        """,
                    arguments: [user.rawValue])
                try db.execute(
                    sql: "DELETE FROM card_history WHERE user_id = ? AND version < ?",
                    arguments: [user.rawValue, version - Int64(historyLimit)])
            }
            let record = CardRecord(userId: user.rawValue, version: version, etag: etag, content: card, updatedAt: updatedAt)
            try record.save(db)
            try Self.pushCardUpdate(of: user, from: current?.stored, to: record.stored, log: &log, db)
            return (record.stored, changed: true)
        }
    }

    public func previousCards(of user: UserID) async throws -> [StoredCard] {
        try await pool.read { db in try Self.previousCards(of: user, db) }
    }

    /// Earlier versions of the person's card, newest first.
    static func previousCards(of user: UserID, _ db: Database) throws -> [StoredCard] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT version, etag, content, updated_at FROM card_history WHERE user_id = ? ORDER BY version DESC"),
            arguments: [user.rawValue]
        ).map { try storedCard($0, from: 0, currentOf: nil) }
    }

    public func relation(of reader: UserID, to owner: UserID) async throws -> Relation {
        try await pool.read { db in try Self.relation(of: reader, to: owner, db) }
    }

    /// Tells every holder of an accepted share, mutual contact, and group member who sees the owner, whose
    /// view of the card changed the new view (patent CN103067478A steps 605–608): online devices
    /// receive it at once, the others when they resume.
    private static func pushCardUpdate(
        of owner: UserID, from old: StoredCard?, to new: StoredCard, log: inout EventLog, _ db: Database
    ) throws {
        let shares = try ShareRecord.cardShares()
            .filter(ShareRecord.Columns.ownerID == owner.rawValue)
            .filter([ShareRecord.State.accepted.rawValue, ShareRecord.State.public.rawValue].contains(ShareRecord.Columns.state))
            .fetchAll(db)
        let everyone = FieldSelection.union(of: shares.filter { $0.state == .public }.map(\.fields))
        var grants: [UserID: FieldSelection] = [:]
        for share in shares where share.state == .accepted {
            guard let holder = share.recipientUserId.map(UserID.init(rawValue:)) else { continue }
            grants[holder] = .union(of: [grants[holder] ?? everyone, share.fields].compactMap { $0 })
        }
        let groups = try groupLinks(to: owner, db)
        let contacts = Set(try mutualContacts(of: owner, db))
        for holder in Set(grants.keys).union(groups.keys).union(contacts).sorted(by: { $0.rawValue < $1.rawValue }) {
            let relation = Relation(
                reader: holder, isContact: contacts.contains(holder), commonGroups: groups[holder] ?? [],
                granted: grants[holder] ?? everyone)
            let view = CardView(owner: owner, card: new, relation: relation)
            guard view.etag != CardView(owner: owner, card: old, relation: relation).etag else { continue }
            try log.append(.cardUpdated(view), to: holder, db)
        }
    }
}
