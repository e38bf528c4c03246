import CardexCore
import Foundation
import SwiftProtobuf

/// Converts cards to and from their stored form: the protobuf bytes of `cardex.storage.v1.Card`
/// (Proto/cardex/storage/v1/card.proto), what every backend keeps in its card columns.
///
/// Guarantees: ``decode(_:)`` of ``encode(_:)`` gives the card back; equal cards give equal bytes
/// (fields in the owner's order, the ids of a group or people audience sorted by their UTF-8
/// bytes), so a backend may compare stored bytes. Decoding is strict: bytes that are not a card
/// this server can read in full throw ``StoredCardError`` instead of giving a card with
/// something left out or defaulted. Stateless and thread-safe.
public enum StoredCardCodec {
    /// The stored bytes of `card`.
    public static func encode(_ card: Card) -> Data {
        let message = Cardex_Storage_V1_Card.with { $0.fields = card.fields.map(storedField) }
        do {
            return try message.serializedBytes()
        } catch {
            // Only proto2 required fields, `Any` and messages over 2 GiB fail to encode; the storage
            // schema has none of the first two and card limits keep a card far below the third.
            preconditionFailure("a card did not encode as cardex.storage.v1.Card: \(error)")
        }
    }

    /// The card stored as `bytes`.
    /// - Throws: ``StoredCardError`` when `bytes` are not a `cardex.storage.v1.Card` this server
    ///   reads in full (malformed, a kind or audience it does not know, a field it does not know).
    public static func decode(_ bytes: Data) throws(StoredCardError) -> Card {
        let message: Cardex_Storage_V1_Card
        do {
            message = try Cardex_Storage_V1_Card(serializedBytes: bytes)
        } catch {
            throw .malformed(String(describing: error))
        }
        return try card(message)
    }

    /// The card stored as `bytes`; see ``decode(_:)``.
    public static func decode(_ bytes: [UInt8]) throws(StoredCardError) -> Card {
        let message: Cardex_Storage_V1_Card
        do {
            message = try Cardex_Storage_V1_Card(serializedBytes: bytes)
        } catch {
            throw .malformed(String(describing: error))
        }
        return try card(message)
    }

    private static func card(_ message: Cardex_Storage_V1_Card) throws(StoredCardError) -> Card {
        guard message.unknownFields.data.isEmpty else { throw .unknownContent(field: nil) }
        var fields: [CardField] = []
        fields.reserveCapacity(message.fields.count)
        for (index, field) in message.fields.enumerated() {
            fields.append(try cardField(field, at: index))
        }
        return Card(fields: fields)
    }

    private static func cardField(_ field: Cardex_Storage_V1_Field, at index: Int) throws(StoredCardError) -> CardField {
        guard field.unknownFields.data.isEmpty else { throw .unknownContent(field: index) }
        let audience: Audience
        let unknown: UnknownStorage
        switch field.audience {
        case .everyone(let everyone): (audience, unknown) = (.everyone, everyone.unknownFields)
        case .contacts(let contacts): (audience, unknown) = (.contacts, contacts.unknownFields)
        case .onlyMe(let onlyMe): (audience, unknown) = (.onlyMe, onlyMe.unknownFields)
        case .groups(let groups): (audience, unknown) = (.groups(Set(groups.ids)), groups.unknownFields)
        case .people(let people): (audience, unknown) = (.people(Set(people.userIds.map(UserID.init(rawValue:)))), people.unknownFields)
        case nil: throw .missingAudience(field: index)
        }
        guard unknown.data.isEmpty else { throw .unknownContent(field: index) }
        return CardField(kind: try kind(field.kind, at: index), label: field.label, value: field.value, audience: audience)
    }

    private static func storedField(_ field: CardField) -> Cardex_Storage_V1_Field {
        Cardex_Storage_V1_Field.with {
            $0.kind = storedKind(field.kind)
            $0.label = field.label
            $0.value = field.value
            switch field.audience {
            case .everyone: $0.everyone = .init()
            case .contacts: $0.contacts = .init()
            case .onlyMe: $0.onlyMe = .init()
            case .groups(let groups): $0.groups.ids = sortedByUTF8(groups)
            case .people(let people): $0.people.userIds = sortedByUTF8(people.map(\.rawValue))
            }
        }
    }

    /// Byte order of the UTF-8, the same in every language (Swift's own `<` on strings compares
    /// by Unicode normalisation instead).
    private static func sortedByUTF8(_ texts: some Sequence<String>) -> [String] {
        texts.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private static func storedKind(_ kind: FieldKind) -> Cardex_Storage_V1_FieldKind {
        switch kind {
        case .name: .name
        case .phone: .phone
        case .email: .email
        case .im: .im
        case .organisation: .organisation
        case .title: .title
        case .address: .address
        case .birthday: .birthday
        case .note: .note
        case .photoURL: .photoURL
        case .url: .url
        }
    }

    private static func kind(_ stored: Cardex_Storage_V1_FieldKind, at index: Int) throws(StoredCardError) -> FieldKind {
        switch stored {
        case .name: .name
        case .phone: .phone
        case .email: .email
        case .im: .im
        case .organisation: .organisation
        case .title: .title
        case .address: .address
        case .birthday: .birthday
        case .note: .note
        case .photoURL: .photoURL
        case .url: .url
        case .unspecified, .UNRECOGNIZED: throw .unknownKind(field: index, value: stored.rawValue)
        }
    }
}
