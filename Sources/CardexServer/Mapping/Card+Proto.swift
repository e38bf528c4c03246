import CardexCore
import CardexProto
import Foundation

extension Card {
    /// The card a client sent, before validation.
    /// - Throws: ``CardexError/invalidArgument(_:)`` for an unknown kind or a malformed user id.
    init(proto: Cardex_V1_Card) throws(CardexError) {
        var fields: [CardField] = []
        for (index, field) in proto.fields.enumerated() {
            guard let kind = FieldKind(proto: field.kind) else {
                throw .invalidArgument("field \(index): kind is missing or unknown; set one of the FieldKind values")
            }
            let audience: Audience
            do { audience = try Audience(proto: field.audience) } catch {
                throw .invalidArgument("field \(index): \(error.message)")
            }
            fields.append(CardField(kind: kind, label: field.label, value: field.value, audience: audience))
        }
        self.init(fields: fields)
    }

    /// The card as its owner reads it: every field with its audience.
    var proto: Cardex_V1_Card {
        .with { $0.fields = fields.map { $0.proto(withAudience: true) } }
    }

    /// The fields a reader receives: without audiences, which are the owner's business.
    static func readerProto(_ fields: [CardField]) -> Cardex_V1_Card {
        .with { $0.fields = fields.map { $0.proto(withAudience: false) } }
    }
}

extension CardField {
    func proto(withAudience: Bool) -> Cardex_V1_CardField {
        .with {
            $0.kind = kind.proto
            $0.label = label
            $0.value = value
            if withAudience { $0.audience = audience.proto }
        }
    }
}

extension FieldKind {
    init?(proto: Cardex_V1_FieldKind) {
        switch proto {
        case .name: self = .name
        case .phone: self = .phone
        case .email: self = .email
        case .im: self = .im
        case .organisation: self = .organisation
        case .title: self = .title
        case .address: self = .address
        case .birthday: self = .birthday
        case .note: self = .note
        case .photoURL: self = .photoURL
        case .url: self = .url
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }

    var proto: Cardex_V1_FieldKind {
        switch self {
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
}

extension Audience {
    /// An unset level means "only me": a field is private unless its owner says otherwise.
    init(proto: Cardex_V1_Audience) throws(CardexError) {
        switch proto.level {
        case .everyone: self = .everyone
        case .contacts: self = .contacts
        case .groups: self = .groups(Set(proto.groupIds))
        case .people:
            var people = Set<UserID>()
            for id in proto.userIds { people.insert(try UserID(parsing: id)) }
            self = .people(people)
        case .onlyMe, .unspecified: self = .onlyMe
        case .UNRECOGNIZED(let value): throw .invalidArgument("audience level \(value) is unknown")
        }
    }

    var proto: Cardex_V1_Audience {
        .with {
            switch self {
            case .everyone: $0.level = .everyone
            case .contacts: $0.level = .contacts
            case .groups(let groups):
                $0.level = .groups
                $0.groupIds = groups.sorted()
            case .people(let people):
                $0.level = .people
                $0.userIds = people.map(\.rawValue).sorted()
            case .onlyMe: $0.level = .onlyMe
            }
        }
    }
}

extension StoredCard {
    /// The owner's version stamp.
    var versionProto: Cardex_V1_CardVersion {
        .with {
            $0.version = version
            $0.etag = etag
            $0.updatedAtMs = updatedAt.unixMilliseconds
        }
    }
}

extension Date {
    /// Milliseconds since 1970, as the protos carry times.
    var unixMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}
