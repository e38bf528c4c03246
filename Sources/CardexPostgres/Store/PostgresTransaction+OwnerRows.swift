import CardexCore
import Foundation
import PostgresNIO

extension PostgresTransaction {
    /// One statement for what a lookup's answer needs (the single reads would be four round
    /// trips): ``OwnerRowsStatement``.
    func ownerRows(of owner: UserID, for reader: UserID) async throws -> OwnerRows {
        let accepted = StoredShare.State.accepted.rawValue
        var found: PostgresRow?
        for try await row in try await connection.execute(OwnerRowsStatement(owner: owner, reader: reader), logger: logger) {
            found = row
        }
        guard let found else { throw PostgresStoreError.noRowReturned("ownerRows") }
        let row = found.makeRandomAccess()
        var card: StoredCard?
        if let version = try row[0].decode(Int64?.self) {
            card = try Self.storedCard((version, try row[1].decode(String.self), try row[2].decode(Data.self), try row[3].decode(Date.self)))
        }
        let holders = try row[5].decode([String]?.self) ?? []
        let states = try row[6].decode([String]?.self) ?? []
        let fields = try row[7].decode([String]?.self) ?? []
        let grants = try holders.indices.map { index in
            CardGrant(
                holder: states[index] == accepted ? UserID(rawValue: holders[index]) : nil,
                fields: try StoredJSON.decode(FieldSelection.self, from: fields[index]))
        }
        func strings(_ column: Int) throws -> [String] { try row[column].decode([String]?.self) ?? [] }
        func flags(_ column: Int) throws -> [Bool] { try row[column].decode([Bool]?.self) ?? [] }
        func dates(_ column: Int) throws -> [Date] { try row[column].decode([Date]?.self) ?? [] }
        let groups = try strings(8)
        let (ownerPhones, ownerRoles, ownerTags, ownerTagged, ownerJoined) = (try strings(9), try strings(10), try strings(11), try flags(12), try dates(13))
        let (readerPhones, readerRoles, readerTags, readerTagged, readerJoined) = (
            try strings(14), try strings(15), try strings(16), try flags(17), try dates(18)
        )
        let pairs = groups.indices.map { index in
            GroupPair(
                groupID: groups[index],
                owner: GroupMember(
                    user: owner, phone: PhoneNumber(e164: ownerPhones[index]), role: GroupRole(rawValue: ownerRoles[index]) ?? .member,
                    tag: ownerTagged[index] ? ownerTags[index] : nil, joinedAt: ownerJoined[index]),
                other: GroupMember(
                    user: reader, phone: PhoneNumber(e164: readerPhones[index]), role: GroupRole(rawValue: readerRoles[index]) ?? .member,
                    tag: readerTagged[index] ? readerTags[index] : nil, joinedAt: readerJoined[index]))
        }
        return OwnerRows(card: card, grants: grants, isMutualContact: try row[4].decode(Bool.self), groupPairs: pairs)
    }
}

/// The card, whether owner and reader are mutual contacts, the grants and the group pairs, the
/// last two as parallel arrays (aggregates over one input keep one order). A named prepared
/// statement: PostgreSQL plans it once per connection, where planning it for each lookup took
/// 0.8 ms of the server's CPU, six times its execution (`log_min_duration_statement`, 100,000
/// accounts).
struct OwnerRowsStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT c.version, c.etag, c.content, c.updated_at,
               EXISTS (SELECT 1 FROM mutual_contacts WHERE user_id = $2 AND contact_id = $1),
               g.holders, g.states, g.fields,
               p.groups, p.owner_phones, p.owner_roles, p.owner_tags, p.owner_tagged, p.owner_joined,
               p.reader_phones, p.reader_roles, p.reader_tags, p.reader_tagged, p.reader_joined
        FROM (SELECT 1) AS one
        LEFT JOIN cards c ON c.user_id = $1
        CROSS JOIN LATERAL (
            SELECT array_agg(coalesce(recipient_user_id, '')) AS holders, array_agg(state) AS states, array_agg(fields) AS fields
            FROM shares WHERE owner_id = $1 AND entry IS NULL AND ((recipient_user_id = $2 AND state = $3) OR state = $4)
        ) g
        CROSS JOIN LATERAL (
            SELECT array_agg(o.group_id) AS groups, array_agg(o.phone) AS owner_phones, array_agg(o.role) AS owner_roles,
                   array_agg(coalesce(o.tag, '')) AS owner_tags, array_agg(o.tag IS NOT NULL) AS owner_tagged,
                   array_agg(o.joined_at) AS owner_joined, array_agg(r.phone) AS reader_phones, array_agg(r.role) AS reader_roles,
                   array_agg(coalesce(r.tag, '')) AS reader_tags, array_agg(r.tag IS NOT NULL) AS reader_tagged,
                   array_agg(r.joined_at) AS reader_joined
            FROM group_members o JOIN group_members r ON r.group_id = o.group_id
            WHERE o.user_id = $1 AND r.user_id = $2 AND r.user_id != o.user_id
        ) p
        """
    static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text, .text]

    let owner: UserID
    let reader: UserID

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(owner.rawValue)
        bindings.append(reader.rawValue)
        bindings.append(StoredShare.State.accepted.rawValue)
        bindings.append(StoredShare.State.public.rawValue)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
