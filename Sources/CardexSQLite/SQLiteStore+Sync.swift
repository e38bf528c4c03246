import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    public func currentViews(of owners: [UserID], for reader: UserID) async throws -> [CardView] {
        try await pool.read { db in
            let relations = try Relations(of: reader, db)
            return try owners.map { try relations.view(of: $0, db) }
        }
    }

    /// Numbers a person no longer has, for finding them by an old number.
    static func recordFormerPhones(_ phones: [String], of user: UserID, now: Date, _ db: Database) throws {
        for phone in phones {
            try db.execute(
                sql: "INSERT OR REPLACE INTO former_phones (phone, user_id, until) VALUES (?, ?, ?)",
                arguments: [phone, user.rawValue, now])
        }
    }
}

extension CardView {
    /// Whether a name field the reader sees is `name`.
    func hasName(_ name: String) -> Bool {
        fields.contains { $0.kind == .name && $0.value.sameName(as: name) }
    }
}

extension SQLiteStore {
    public func sync(for reader: UserID, since token: SyncToken?, limit: Int) async throws -> SyncPage {
        try await pool.read { db in
            if let token, token.user != reader {
                throw CardexError.failedPrecondition("this sync token belongs to another account: do a full sync (send no token)")
            }
            guard let token, token.fullSyncAfter == nil else {
                let start = try token ?? SyncToken(user: reader, seq: Self.latestEventSeq(of: reader, db))
                return try Self.fullSyncPage(for: reader, from: start, limit: limit, db)
            }
            return try Self.deltaSyncPage(for: reader, since: token, limit: limit, db)
        }
    }

    /// Every card the reader holds (accepted shares, mutual contacts, group members they see), in
    /// owner-id order from the token's position; the token's sequence number is where the delta
    /// sync that follows starts.
    private static func fullSyncPage(for reader: UserID, from token: SyncToken, limit: Int, _ db: Database) throws -> SyncPage {
        let owners = try heldCards(of: reader, db).filter { $0.rawValue > (token.fullSyncAfter ?? "") }.sorted { $0.rawValue < $1.rawValue }
        let page = owners.prefix(limit)
        let relations = try Relations(of: reader, db)
        let views = try page.map { try relations.view(of: $0, db) }
        let more = owners.count > limit
        return SyncPage(
            changed: views.filter { !$0.fields.isEmpty }, removed: [],
            next: SyncToken(user: reader, seq: token.seq, fullSyncAfter: more ? page.last?.rawValue : nil), more: more)
    }

    /// The cards named by the reader's events after the token, each as the reader may see it now:
    /// changed when they see something, removed when they see nothing. Leaving a group or being
    /// removed names the cards the group showed (``endMembership``); a deleted group asks for a
    /// full sync instead, since its members' cards were never listed.
    private static func deltaSyncPage(for reader: UserID, since token: SyncToken, limit: Int, _ db: Database) throws -> SyncPage {
        let latest: UInt64
        do {
            latest = try checkResumable(after: token.seq, of: reader, db)
        } catch is ResyncRequired {
            throw CardexError.failedPrecondition(
                "this sync token has expired (the changes since it are no longer kept): do a full sync (send no token)")
        }
        var owners: [UserID] = []
        var seen = Set<UserID>()
        var position = token.seq
        scanning: while position < latest {
            let events = try EventRecord
                .filter(EventRecord.Columns.userID == reader.rawValue && EventRecord.Columns.seq > Int64(position))
                .order(EventRecord.Columns.seq).limit(500).fetchAll(db)
            guard !events.isEmpty else { break }
            for record in events {
                if case .membershipEnded(_, .groupDeleted) = record.payload {
                    // Every member lost sight of every other at once: too many changes to list.
                    throw CardexError.failedPrecondition(
                        "a group you were in was deleted since this sync token: do a full sync (send no token)")
                }
                if let owner = record.payload.cardOwner, !seen.contains(owner) {
                    guard owners.count < limit else { break scanning }
                    owners.append(owner)
                    seen.insert(owner)
                }
                position = UInt64(record.seq)
            }
        }
        var changed: [CardView] = []
        var removed: [UserID] = []
        let relations = try Relations(of: reader, db)
        for owner in owners {
            let view = try relations.view(of: owner, db)
            if view.fields.isEmpty { removed.append(owner) } else { changed.append(view) }
        }
        return SyncPage(changed: changed, removed: removed, next: SyncToken(user: reader, seq: position), more: position < latest)
    }

    /// The people whose cards the reader holds: accepted shares, mutual contacts, and group
    /// members the reader sees.
    static func heldCards(of reader: UserID, _ db: Database) throws -> Set<UserID> {
        var owners = Set(try String.fetchAll(
            db,
            ShareRecord.cardShares()
                .filter(ShareRecord.Columns.recipientUserID == reader.rawValue && ShareRecord.Columns.state == ShareRecord.State.accepted.rawValue)
                .select(ShareRecord.Columns.ownerID)
        ).map(UserID.init(rawValue:)))
        owners.formUnion(try String.fetchAll(
            db, sql: "SELECT contact_id FROM mutual_contacts WHERE user_id = ?", arguments: [reader.rawValue]
        ).map(UserID.init(rawValue:)))
        for membership in try GroupMemberRecord.filter(GroupMemberRecord.Columns.userID == reader.rawValue).fetchAll(db) {
            owners.formUnion(try members(of: membership.groupId, seenBy: membership.member, db).map(\.user))
        }
        return owners
    }
}

extension EventPayload {
    /// The person whose card the event is about, for delta sync.
    var cardOwner: UserID? {
        switch self {
        case .cardUpdated(let view): view.owner
        case .accessRemoved(let owner): owner
        case .memberJoined(_, let entry): entry.member.user
        case .memberLeft(_, let user): user
        case .shareReceived, .shareAccepted, .inboxItemRemoved, .sharesWaiting, .invitationReceived, .groupJoined, .membershipEnded: nil
        }
    }
}
