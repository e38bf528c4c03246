import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    /// The other members `me` sees in the group.
    static func members(of groupID: String, seenBy me: GroupMember, _ db: Database) throws -> [GroupMember] {
        try members(of: groupID, db).filter { $0.user != me.user && me.sees($0) }
    }

    static func member(_ user: UserID, in groupID: String, _ db: Database) throws -> GroupMember? {
        let key = [GroupMemberRecord.Columns.groupID.name: groupID, GroupMemberRecord.Columns.userID.name: user.rawValue]
        return try GroupMemberRecord.fetchOne(db, key: key)?.member
    }

    static func members(of groupID: String, _ db: Database) throws -> [GroupMember] {
        try GroupMemberRecord.filter(GroupMemberRecord.Columns.groupID == groupID)
            .order(GroupMemberRecord.Columns.joinedAt, Column.rowID)
            .fetchAll(db).map(\.member)
    }
}
