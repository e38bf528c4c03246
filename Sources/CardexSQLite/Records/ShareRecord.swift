import CardexCore
import Foundation
import GRDB

/// A row of `shares`: one share with one recipient (or with everyone).
struct ShareRecord: Codable, Sendable {
    enum State: String, Codable, Sendable {
        /// Not in an inbox yet: the number is unregistered or the cloud address book is off.
        case waiting
        /// In the recipient's inbox, unanswered.
        case delivered
        case accepted
        /// Kept so the sender keeps seeing "not accepted"; gone from the inbox.
        case declined
        /// Shared with everyone.
        case `public`
    }

    var id: String
    var ownerId: String
    var recipientUserId: String?
    var recipientPhone: String?
    var fields: FieldSelection
    var state: State
    var createdAt: Date
    var deliveredAt: Date?
    /// A forwarded address-book entry; `nil` for a share of the owner's card.
    var entry: BookEntry?
}

extension ShareRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "shares"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let id = Column("id")
        static let ownerID = Column("owner_id")
        static let recipientUserID = Column("recipient_user_id")
        static let recipientPhone = Column("recipient_phone")
        static let state = Column("state")
        static let createdAt = Column("created_at")
        static let entry = Column("entry")
    }

    /// Shares of the owner's card (not forwarded entries): the ones that grant fields.
    static func cardShares() -> QueryInterfaceRequest<ShareRecord> {
        filter(Columns.entry == nil)
    }
}

extension ShareRecord {
    /// Shares still waiting for the recipient's answer (delivered or not).
    static let unansweredStates = [State.waiting.rawValue, State.delivered.rawValue]
}

extension ShareRecord {
    /// The row of `share`.
    init(_ share: StoredShare) {
        self.init(
            id: share.id, ownerId: share.owner.rawValue, recipientUserId: share.recipientUser?.rawValue,
            recipientPhone: share.recipientPhone?.e164, fields: share.fields, state: State(rawValue: share.state.rawValue) ?? .waiting,
            createdAt: share.createdAt, deliveredAt: share.deliveredAt, entry: share.entry)
    }

    /// The share this row holds.
    var stored: StoredShare {
        StoredShare(
            id: id, owner: UserID(rawValue: ownerId), recipientUser: recipientUserId.map(UserID.init(rawValue:)),
            recipientPhone: recipientPhone.map(PhoneNumber.init(e164:)), fields: fields,
            state: StoredShare.State(rawValue: state.rawValue) ?? .waiting, createdAt: createdAt, deliveredAt: deliveredAt, entry: entry)
    }
}
