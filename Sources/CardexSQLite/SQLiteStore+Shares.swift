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
        let content: String = row[column + 2]
        let cache = CardCache.shared
        return StoredCard(
            card: try owner.map { try cache.card(of: $0, etag: etag, content: content) } ?? cache.decode(content),
            version: UInt64(row[column] as Int64), etag: etag, updatedAt: row[column + 3])
    }

    /// `owner`'s current card as `reader` may see it.
    static func view(of owner: UserID, for reader: UserID, _ db: Database) throws -> CardView {
        CardView(owner: owner, card: try currentCard(of: owner, db), relation: try relation(of: reader, to: owner, db))
    }

    /// The inbox entry of a share: the sender's card as accepting it would show it (for a
    /// forwarded entry, as the recipient may see it anyway).
    static func inboxEntry(for share: ShareRecord, _ db: Database) throws -> InboxEntry {
        let owner = UserID(rawValue: share.ownerId)
        let reader = UserID(rawValue: share.recipientUserId ?? "")
        var relation = try relation(of: reader, to: owner, db)
        if share.entry == nil { relation.granted = relation.granted?.union(share.fields) ?? share.fields }
        return InboxEntry(
            id: share.id, card: CardView(owner: owner, card: try currentCard(of: owner, db), relation: relation),
            receivedAt: share.deliveredAt ?? share.createdAt, forwarded: share.entry)
    }

    private static func inboxShare(_ id: String, of user: UserID, _ db: Database) throws -> ShareRecord {
        guard
            let share = try ShareRecord.filter(key: id)
                .filter(ShareRecord.Columns.recipientUserID == user.rawValue && ShareRecord.Columns.state == ShareRecord.State.delivered.rawValue)
                .fetchOne(db)
        else { throw CardexError.notFound("no inbox item \"\(id.prefix(64))\"; ListInbox shows yours") }
        return share
    }

    /// Tells the recipient a share is gone: its inbox item, or the card it granted.
    static func withdraw(_ share: ShareRecord, log: inout EventLog, _ db: Database) throws {
        guard let recipient = share.recipientUserId.map(UserID.init(rawValue:)) else { return }
        switch share.state {
        case .delivered: try log.append(.inboxItemRemoved(itemID: share.id, reason: .withdrawn), to: recipient, db)
        case .accepted where share.entry == nil:
            try log.append(.accessRemoved(owner: UserID(rawValue: share.ownerId)), to: recipient, db)
        case .accepted: break  // a forwarded entry, once accepted, is the recipient's own
        case .waiting, .declined, .public: break
        }
    }

    /// Delivers the shares and group invitations that waited for `account`'s number, and the
    /// shares that waited for its cloud address book. Called when a number registers, an account
    /// moves to a number, or the cloud address book is turned on.
    static func deliverWaiting(to account: Account, log: inout EventLog, _ db: Database) throws {
        try deliverWaitingInvitations(to: account, log: &log, db)
        try deliverWaitingShares(to: account, log: &log, db)
    }

    private static func deliverWaitingShares(to account: Account, log: inout EventLog, _ db: Database) throws {
        let user = account.userID.rawValue
        try db.execute(
            sql: """
                UPDATE shares SET recipient_user_id = ?
                WHERE recipient_user_id IS NULL AND recipient_phone = ? AND state = 'waiting'
                """,
            arguments: [user, account.phone.e164])
        // A number the account itself shared with before it moved there.
        try ShareRecord.filter(ShareRecord.Columns.ownerID == user && ShareRecord.Columns.recipientUserID == user).deleteAll(db)
        guard account.settings.cloudAddressBook else { return }
        let waiting = try ShareRecord
            .filter(ShareRecord.Columns.recipientUserID == user && ShareRecord.Columns.state == ShareRecord.State.waiting.rawValue)
            .order(ShareRecord.Columns.createdAt, Column.rowID)
            .fetchAll(db)
        for var share in waiting {
            share.state = .delivered
            share.deliveredAt = log.now
            try share.update(db)
            try log.append(.shareReceived(try inboxEntry(for: share, db)), to: account.userID, db)
        }
    }
}
