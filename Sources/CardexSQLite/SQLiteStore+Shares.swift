import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    public func share(
        fields: FieldSelection, of owner: UserID, with recipients: [ShareRecipient], presence: any Presence,
        policy: SharingPolicy, now: Date
    ) async throws -> [String] {
        try await writeWithEvents(now: now) { db, log in
            guard let sender = try UserRecord.fetchOne(db, key: owner.rawValue)?.account else {
                throw CardexError.notFound("the account no longer exists")
            }
            var sharing = Sharing(db: db, sender: sender, fields: fields, policy: policy, presence: presence, now: now)
            return try recipients.map { try sharing.share(with: $0, log: &log) }
        }
    }

    public func forward(
        entryID: String, of owner: UserID, to recipients: [ShareRecipient], presence: any Presence, policy: SharingPolicy,
        now: Date
    ) async throws -> [String] {
        try await writeWithEvents(now: now) { db, log in
            guard let sender = try UserRecord.fetchOne(db, key: owner.rawValue)?.account else {
                throw CardexError.notFound("the account no longer exists")
            }
            let key = [BookEntryRecord.Columns.ownerID.name: owner.rawValue, BookEntryRecord.Columns.clientEntryID.name: entryID]
            guard let entry = try BookEntryRecord.fetchOne(db, key: key)?.content else {
                throw CardexError.notFound("your address book has no entry \"\(entryID.prefix(64))\"")
            }
            var sharing = Sharing(db: db, sender: sender, fields: .all, policy: policy, presence: presence, now: now, entry: entry)
            return try recipients.map { try sharing.share(with: $0, log: &log) }
        }
    }

    public func shares(of owner: UserID) async throws -> [OutgoingShare] {
        try await pool.read { db in
            try ShareRecord.filter(ShareRecord.Columns.ownerID == owner.rawValue)
                .order(ShareRecord.Columns.createdAt.desc, Column.rowID.desc)
                .fetchAll(db).map(\.outgoing)
        }
    }

    public func revokeShare(_ id: String, of owner: UserID, now: Date) async throws {
        try await writeWithEvents(now: now) { db, log in
            guard let share = try ShareRecord.filter(key: id).filter(ShareRecord.Columns.ownerID == owner.rawValue).fetchOne(db) else {
                throw CardexError.notFound("you have no share \"\(id.prefix(64))\"; ListShares shows yours")
            }
            try Self.withdraw(share, log: &log, db)
            _ = try share.delete(db)
        }
    }

    public func inbox(of user: UserID) async throws -> [InboxEntry] {
        try await pool.read { db in
            try ShareRecord
                .filter(ShareRecord.Columns.recipientUserID == user.rawValue && ShareRecord.Columns.state == ShareRecord.State.delivered.rawValue)
                .order(Column("delivered_at"), Column.rowID)
                .fetchAll(db)
                .map { try Self.inboxEntry(for: $0, db) }
        }
    }

    public func acceptShare(_ id: String, by user: UserID, now: Date) async throws -> AcceptedShare {
        try await writeWithEvents(now: now) { db, log in
            var share = try Self.inboxShare(id, of: user, db)
            let owner = UserID(rawValue: share.ownerId)
            var added: BookEntry?
            if var entry = share.entry {
                entry.clientEntryID = "forwarded-\(id)"
                try Self.putBookEntry(entry, of: user, now: now, db)
                added = entry
            } else {
                // The newest accepted share from a person replaces the earlier one.
                try ShareRecord.cardShares()
                    .filter(ShareRecord.Columns.ownerID == share.ownerId && ShareRecord.Columns.recipientUserID == user.rawValue)
                    .filter(ShareRecord.Columns.state == ShareRecord.State.accepted.rawValue)
                    .deleteAll(db)
            }
            share.state = .accepted
            try share.update(db)
            let view = try Self.view(of: owner, for: user, db)
            try log.append(.inboxItemRemoved(itemID: id, reason: .accepted), to: user, db)
            if added == nil { try log.append(.cardUpdated(view), to: user, db) }
            try log.append(.shareAccepted(shareID: id, by: user), to: owner, db)
            return AcceptedShare(card: view, addedEntry: added)
        }
    }

    public func declineShare(_ id: String, by user: UserID, now: Date) async throws {
        try await writeWithEvents(now: now) { db, log in
            var share = try Self.inboxShare(id, of: user, db)
            share.state = .declined
            try share.update(db)
            try log.append(.inboxItemRemoved(itemID: id, reason: .declined), to: user, db)
        }
    }

    public func sharedCards(with user: UserID) async throws -> [CardView] {
        try await pool.read { db in
            let owners = try String.fetchAll(
                db,
                ShareRecord.cardShares()
                    .filter(ShareRecord.Columns.recipientUserID == user.rawValue && ShareRecord.Columns.state == ShareRecord.State.accepted.rawValue)
                    .order(ShareRecord.Columns.createdAt)
                    .select(ShareRecord.Columns.ownerID))
            return try owners.map { try Self.view(of: UserID(rawValue: $0), for: user, db) }
        }
    }

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

    /// One reader's relations to many owners (a query-update's items): what does not depend on
    /// the owner (the reader's mutual contacts, whether they are in any group) is read once, so
    /// each owner costs one query instead of three. The same answers as ``relation(of:to:_:)``.
    struct Relations {
        let reader: UserID
        private let mutualContacts: Set<String>
        private let inAnyGroup: Bool

        init(of reader: UserID, _ db: Database) throws {
            self.reader = reader
            mutualContacts = Set(try String.fetchAll(
                db, sql: "SELECT contact_id FROM mutual_contacts WHERE user_id = ?", arguments: [reader.rawValue]))
            inAnyGroup = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM group_members WHERE user_id = ?)", arguments: [reader.rawValue]) ?? false
        }

        func to(_ owner: UserID, _ db: Database) throws -> Relation {
            let shares = try grants(of: owner, to: reader, db)
            return Relation(
                reader: reader, isOwner: reader == owner, isContact: mutualContacts.contains(owner.rawValue),
                commonGroups: inAnyGroup ? try groupLinks(to: owner, reader: reader, db)[reader] ?? [] : [],
                granted: shares.granted, acceptedShare: shares.accepted)
        }

        /// `owner`'s current card as the reader may see it.
        func view(of owner: UserID, _ db: Database) throws -> CardView {
            CardView(owner: owner, card: try currentCard(of: owner, db), relation: try to(owner, db))
        }
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
