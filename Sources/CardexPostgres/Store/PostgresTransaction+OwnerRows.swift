import CardexCore
import Foundation
import PostgresNIO

extension PostgresTransaction {
    /// One statement for what a lookup's answer needs (the single reads would be four round
    /// trips): ``OwnerRowsStatement``.
    func ownerRows(of owner: UserID, for reader: UserID) async throws -> OwnerRows {
        let row = try await onlyRow(of: OwnerRowsStatement(owner: owner, reader: reader), "ownerRows")
        return try Self.ownerRows(row, from: 0, owner: owner, reader: reader)
    }

    /// The holder and their owner rows in one statement (``NumberRowsStatement``): a lookup by
    /// number is one round trip.
    func numberRows(of phone: PhoneNumber, for reader: UserID, absent: UserID) async throws -> (holder: NumberHolder?, rows: OwnerRows) {
        let row = try await onlyRow(of: NumberRowsStatement(phone: phone, reader: reader, absent: absent), "numberRows")
        let holder = try row[0].decode(String?.self).map { user in
            Self.numberHolder(user: user, discoverability: try row[1].decode(String.self))
        }
        return (holder, try Self.ownerRows(row, from: 2, owner: holder?.user ?? absent, reader: reader))
    }

    private func onlyRow<Statement: PostgresPreparedStatement>(of statement: Statement, _ name: String) async throws -> PostgresRandomAccessRow
    where Statement.Row == PostgresRow {
        var found: PostgresRow?
        for try await row in try await connection.execute(statement, logger: logger) { found = row }
        guard let found else { throw PostgresStoreError.noRowReturned(name) }
        return found.makeRandomAccess()
    }

    /// ``OwnerRows`` from the ``OwnerRowsSQL/columns`` of `row`, the first at index `first`.
    private static func ownerRows(_ row: PostgresRandomAccessRow, from first: Int, owner: UserID, reader: UserID) throws -> OwnerRows {
        let accepted = StoredShare.State.accepted.rawValue
        func column(_ index: Int) -> PostgresCell { row[first + index] }
        var card: StoredCard?
        if let version = try column(0).decode(Int64?.self) {
            card = try storedCard((version, try column(1).decode(String.self), try column(2).decode(Data.self), try column(3).decode(Date.self)))
        }
        func strings(_ index: Int) throws -> [String] { try column(index).decode([String]?.self) ?? [] }
        func flags(_ index: Int) throws -> [Bool] { try column(index).decode([Bool]?.self) ?? [] }
        func dates(_ index: Int) throws -> [Date] { try column(index).decode([Date]?.self) ?? [] }
        let (holders, states, fields) = (try strings(5), try strings(6), try strings(7))
        let grants = try holders.indices.map { index in
            CardGrant(
                holder: states[index] == accepted ? UserID(rawValue: holders[index]) : nil,
                fields: try StoredJSON.decode(FieldSelection.self, from: fields[index]))
        }
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
        return OwnerRows(card: card, grants: grants, isMutualContact: try column(4).decode(Bool.self), groupPairs: pairs)
    }
}

/// The SQL of owner rows: the card, whether owner and reader are mutual contacts, the grants and
/// the group pairs, the last two as parallel arrays (aggregates over one input keep one order).
enum OwnerRowsSQL {
    /// The 19 columns, for ``joins``.
    static let columns = """
        c.version, c.etag, c.content, c.updated_at,
        EXISTS (SELECT 1 FROM mutual_contacts WHERE user_id = r.id AND contact_id = o.id),
        g.holders, g.states, g.fields,
        p.groups, p.owner_phones, p.owner_roles, p.owner_tags, p.owner_tagged, p.owner_joined,
        p.reader_phones, p.reader_roles, p.reader_tags, p.reader_tagged, p.reader_joined
        """

    /// The joins that follow a FROM with one row in which `o.id` is the owner and `r.id` the
    /// reader. The share states are the code's constants, written as literals (nothing a caller
    /// sends enters this text).
    static let joins = """
        LEFT JOIN cards c ON c.user_id = o.id
        CROSS JOIN LATERAL (
            SELECT array_agg(coalesce(recipient_user_id, '')) AS holders, array_agg(state) AS states, array_agg(fields) AS fields
            FROM shares WHERE owner_id = o.id AND entry IS NULL
              AND ((recipient_user_id = r.id AND state = '\(StoredShare.State.accepted.rawValue)') OR state = '\(StoredShare.State.public.rawValue)')
        ) g
        CROSS JOIN LATERAL (
            SELECT array_agg(og.group_id) AS groups, array_agg(og.phone) AS owner_phones, array_agg(og.role) AS owner_roles,
                   array_agg(coalesce(og.tag, '')) AS owner_tags, array_agg(og.tag IS NOT NULL) AS owner_tagged,
                   array_agg(og.joined_at) AS owner_joined, array_agg(rg.phone) AS reader_phones, array_agg(rg.role) AS reader_roles,
                   array_agg(coalesce(rg.tag, '')) AS reader_tags, array_agg(rg.tag IS NOT NULL) AS reader_tagged,
                   array_agg(rg.joined_at) AS reader_joined
            FROM group_members og JOIN group_members rg ON rg.group_id = og.group_id
            WHERE og.user_id = o.id AND rg.user_id = r.id AND rg.user_id != og.user_id
        ) p
        """
}

/// An owner's rows for a reader (``OwnerRowsSQL``). A named prepared statement: PostgreSQL plans
/// it once per connection, where planning it for each lookup took 0.8 ms of the server's CPU,
/// six times its execution (`log_min_duration_statement`, 100,000 accounts).
struct OwnerRowsStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT \(OwnerRowsSQL.columns)
        FROM (SELECT $1::text AS id) AS o CROSS JOIN (SELECT $2::text AS id) AS r
        \(OwnerRowsSQL.joins)
        """
    static let bindingDataTypes: [PostgresDataType] = [.text, .text]

    let owner: UserID
    let reader: UserID

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(owner.rawValue)
        bindings.append(reader.rawValue)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

/// A number's holder (id and `discoverable_by`, null when no account has the number) and the
/// owner rows of the holder, or of the absent id when there is none, for a reader. A named
/// prepared statement, as ``OwnerRowsStatement``.
struct NumberRowsStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT h.id, h.discoverable_by, \(OwnerRowsSQL.columns)
        FROM (SELECT 1) AS one
        LEFT JOIN users h ON h.phone = $1
        CROSS JOIN LATERAL (SELECT coalesce(h.id, $3::text) AS id) AS o
        CROSS JOIN (SELECT $2::text AS id) AS r
        \(OwnerRowsSQL.joins)
        """
    static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text]

    let phone: PhoneNumber
    let reader: UserID
    let absent: UserID

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(phone.e164)
        bindings.append(reader.rawValue)
        bindings.append(absent.rawValue)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
