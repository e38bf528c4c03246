import CardexStorage
import Foundation
import GRDB

/// Migration v5: `cards.content` and `card_history.content` go from JSON text to the bytes of
/// `cardex.storage.v1.Card`, in BLOB columns.
///
/// Frozen, like every migration: it reads the JSON as migrations v1–v4 left it (what the
/// synthesized `Codable` of `Card` wrote through GRDB's JSON encoder, keys sorted) with its own
/// private types below, not the app's `Card`, and builds the storage message directly, not
/// through `StoredCardCodec`, so later changes to either cannot change what this migration
/// reads or writes. The storage schema's numbers are never reused, so its generated message
/// is as fixed as SQL. Etags are copied unchanged: they hash the card's fields, not its
/// encoding, so a client's if-match etag still matches after the migration.
extension Schema {
    static func storeCardsAsProtobuf(_ db: Database) throws {
        let decoder = JSONDecoder()
        for table in ["cards", "card_history"] {
            let converted = "\(table)_v5"
            try db.create(table: converted) { t in
                if table == "cards" {
                    t.primaryKey("user_id", .text).references("users", onDelete: .cascade)
                } else {
                    t.column("user_id", .text).notNull().references("users", onDelete: .cascade)
                }
                t.column("version", .integer).notNull()
                t.column("etag", .text).notNull()
                t.column("content", .blob).notNull()
                t.column("updated_at", .datetime).notNull()
                if table == "card_history" { t.primaryKey(["user_id", "version"]) }
            }
            let insert = try db.makeStatement(
                sql: "INSERT INTO \(converted) (user_id, version, etag, content, updated_at) VALUES (?, ?, ?, ?, ?)")
            let rows = try Row.fetchCursor(db, sql: "SELECT user_id, version, etag, content, updated_at FROM \(table)")
            while let row = try rows.next() {
                let (user, version): (String, Int64) = (row[0], row[1])
                let json: String = row[3]
                let card: Cardex_Storage_V1_Card
                do {
                    card = try V4Card.stored(try decoder.decode(V4Card.self, from: Data(json.utf8)))
                } catch {
                    throw DatabaseError(
                        message: "migration v5 cannot read version \(version) of the card of \(user) in \(table) as a v4 JSON card "
                            + "(\(error)); the database is unchanged: repair or delete that row and start again")
                }
                try insert.execute(arguments: [user, version, row[2] as String, try card.serializedBytes() as Data, row[4] as DatabaseValue])
            }
            try db.drop(table: table)
            try db.rename(table: converted, to: table)
            try db.checkForeignKeys(in: table)
        }
    }
}

/// A card as migrations v1–v4 stored it: `{"fields":[{"audience":{"groups":{"_0":["g"]}},
/// "kind":"email","label":"work","value":"a@example.com"}]}`, an audience being one of
/// `everyone`, `contacts`, `onlyMe` (each `{}`), `groups`, `people` (each `{"_0": [ids]}`).
private struct V4Card: Decodable {
    struct Field: Decodable {
        var kind: String
        var label: String
        var value: String
        var audience: Audience
    }

    struct Audience: Decodable {
        struct Nothing: Decodable {}
        struct IDs: Decodable {
            var _0: [String]
        }
        var everyone: Nothing?
        var contacts: Nothing?
        var onlyMe: Nothing?
        var groups: IDs?
        var people: IDs?
    }

    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    var fields: [Field]

    /// v4's kinds by their JSON names.
    static let kinds: [String: Cardex_Storage_V1_FieldKind] = [
        "name": .name, "phone": .phone, "email": .email, "im": .im, "organisation": .organisation, "title": .title,
        "address": .address, "birthday": .birthday, "note": .note, "photo_url": .photoURL, "url": .url,
    ]

    static func stored(_ card: V4Card) throws -> Cardex_Storage_V1_Card {
        var stored = Cardex_Storage_V1_Card()
        for (index, field) in card.fields.enumerated() {
            guard let kind = kinds[field.kind] else { throw Unreadable(description: "field \(index) has unknown kind \"\(field.kind)\"") }
            var storedField = Cardex_Storage_V1_Field()
            storedField.kind = kind
            storedField.label = field.label
            storedField.value = field.value
            let cases = field.audience
            switch (cases.everyone, cases.contacts, cases.onlyMe, cases.groups, cases.people) {
            case (_?, nil, nil, nil, nil): storedField.everyone = .init()
            case (nil, _?, nil, nil, nil): storedField.contacts = .init()
            case (nil, nil, _?, nil, nil): storedField.onlyMe = .init()
            case (nil, nil, nil, let groups?, nil): storedField.groups.ids = sortedByUTF8(groups._0)
            case (nil, nil, nil, nil, let people?): storedField.people.userIds = sortedByUTF8(people._0)
            default: throw Unreadable(description: "field \(index) has not exactly one audience")
            }
            stored.fields.append(storedField)
        }
        return stored
    }

    /// The storage schema's order: by UTF-8 bytes, without repeats.
    private static func sortedByUTF8(_ ids: [String]) -> [String] {
        Array(Set(ids)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
