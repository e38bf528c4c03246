import CardexCore
import Foundation
import GRDB

/// A row of `events`: one event of one person, its payload as JSON.
struct EventRecord: Codable, Sendable {
    var userId: String
    var seq: Int64
    var createdAt: Date
    var payload: EventPayload
}

extension EventRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "events"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let userID = Column("user_id")
        static let seq = Column("seq")
    }
}

extension EventRecord {
    init(_ event: UserEvent) {
        self.init(userId: event.user.rawValue, seq: Int64(event.seq), createdAt: event.createdAt, payload: event.payload)
    }

    var event: UserEvent {
        UserEvent(user: UserID(rawValue: userId), seq: UInt64(seq), createdAt: createdAt, payload: payload)
    }
}
