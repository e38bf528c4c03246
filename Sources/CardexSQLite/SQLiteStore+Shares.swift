import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    // MARK: - Inside transactions

    /// How `reader` stands to `owner`: mutual contact or not, the fields the owner's accepted and
    /// public shares grant, and the groups where the reader sees the owner.
    static func relation(of reader: UserID, to owner: UserID, _ db: Database) throws -> Relation {
        let shares = try grants(of: owner, to: reader, db)
        return Relation(
            reader: reader, isOwner: reader == owner, isContact: try isMutualContact(reader, owner, db),
            commonGroups: try groupLinks(to: owner, reader: reader, db)[reader] ?? [], granted: shares.granted,
            acceptedShare: shares.accepted)
    }

    /// The fields `owner`'s accepted shares with `reader` and public shares grant, if any, and
    /// whether one of those shares is one `reader` accepted.
    static func grants(of owner: UserID, to reader: UserID, _ db: Database) throws -> (granted: FieldSelection?, accepted: Bool) {
        let statement = try db.cachedStatement(
            sql: """
                SELECT fields, state = 'accepted' FROM shares WHERE owner_id = ?1 AND entry IS NULL
                  AND ((recipient_user_id = ?2 AND state = 'accepted') OR state = 'public')
                """)
        let granting = try Row.fetchAll(statement, arguments: [owner.rawValue, reader.rawValue])
        // Most pairs have no share: no decoder is made for them.
        guard !granting.isEmpty else { return (nil, false) }
        let decoder = ShareRecord.databaseJSONDecoder(for: "fields")
        let selections = try granting.map { row in try decoder.decode(FieldSelection.self, from: Data((row[0] as String).utf8)) }
        return (.union(of: selections), granting.contains { $0[1] as Bool })
    }

    /// For each member sharing a group with `owner` (or only `reader`), the groups where they see
    /// the owner.
    static func groupLinks(to owner: UserID, reader: UserID? = nil, _ db: Database) throws -> [UserID: Set<String>] {
        // Both members' rows, by position: a card update reads this for every member of every group.
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT o.group_id, o.phone, o.role, o.tag, o.joined_at, r.user_id, r.phone, r.role, r.tag, r.joined_at
                    FROM group_members o JOIN group_members r ON r.group_id = o.group_id AND r.user_id != o.user_id
                    WHERE o.user_id = ?1 AND (?2 IS NULL OR r.user_id = ?2)
                    """),
            arguments: [owner.rawValue, reader?.rawValue])
        var links: [UserID: Set<String>] = [:]
        while let row = try rows.next() {
            let ownerMember = GroupMember(
                user: owner, phone: PhoneNumber(e164: row[1]), role: GroupRole(rawValue: row[2]) ?? .member, tag: row[3],
                joinedAt: row[4])
            let readerMember = GroupMember(
                user: UserID(rawValue: row[5]), phone: PhoneNumber(e164: row[6]), role: GroupRole(rawValue: row[7]) ?? .member,
                tag: row[8], joinedAt: row[9])
            guard readerMember.sees(ownerMember) else { continue }
            links[readerMember.user, default: []].insert(row[0])
        }
        return links
    }

    /// The person's current card.
    static func currentCard(of user: UserID, _ db: Database) throws -> StoredCard? {
        let statement = try db.cachedStatement(sql: "SELECT version, etag, content, updated_at FROM cards WHERE user_id = ?")
        return try Row.fetchOne(statement, arguments: [user.rawValue]).map { try storedCard($0, from: 0, currentOf: user) }
    }

    /// The card in `row`'s columns version, etag, content, updated_at, starting at `column`:
    /// the current card of `owner` (decoded through ``CardCache``), or an earlier version when
    /// `owner` is nil.
    static func storedCard(_ row: Row, from column: Int, currentOf owner: UserID?) throws -> StoredCard {
        let etag: String = row[column + 1]
        let card = try row.withUnsafeData(atIndex: column + 2) { content in
            if let owner {
                return try CardCache.shared.card(of: owner, etag: etag) { try CardRecord.card(from: content) }
            }
            return try CardRecord.card(from: content)
        }
        return StoredCard(card: card, version: UInt64(row[column] as Int64), etag: etag, updatedAt: row[column + 3])
    }

    /// `owner`'s current card as `reader` may see it.
    static func view(of owner: UserID, for reader: UserID, _ db: Database) throws -> CardView {
        CardView(owner: owner, card: try currentCard(of: owner, db), relation: try relation(of: reader, to: owner, db))
    }
}
