import CardexCore
import CardexProto
import Foundation

extension ShareRecipient {
    /// A recipient a client named.
    /// - Throws: ``CardexError/invalidArgument(_:)`` for an unset person, a malformed user id or phone.
    init(proto: Cardex_V1_Person, phoneNumbers: PhoneNumberParser) throws(CardexError) {
        switch proto.id {
        case .userID(let text): self = .user(try UserID(parsing: text))
        case .phone(let text): self = .phone(try phoneNumbers.parse(text))
        case nil: throw .invalidArgument("a recipient names a person: set user_id or phone")
        }
    }

    /// `nil` for a share with everyone.
    var proto: Cardex_V1_Person? {
        switch self {
        case .user(let id): .with { $0.userID = id.rawValue }
        case .phone(let phone): .with { $0.phone = phone.e164 }
        case .everyone: nil
        }
    }
}

extension FieldSelection {
    /// The selection a client sent; no selectors is the whole card.
    /// - Throws: ``CardexError/invalidArgument(_:)`` for a missing kind, too many selectors or a long label.
    init(proto: [Cardex_V1_FieldSelector], limits: CardLimits, maxSelectors: Int) throws(CardexError) {
        guard proto.count <= maxSelectors else {
            throw .invalidArgument("a share picks at most \(maxSelectors) fields; this one picks \(proto.count)")
        }
        var selectors: [FieldSelector] = []
        for (index, selector) in proto.enumerated() {
            guard let kind = FieldKind(proto: selector.kind) else {
                throw .invalidArgument("fields[\(index)]: kind is missing or unknown; set one of the FieldKind values")
            }
            let label: String
            do { label = try UserText.check(selector.label, what: "label", maxBytes: limits.maxLabelBytes) } catch {
                throw .invalidArgument("fields[\(index)]: \(error.message)")
            }
            selectors.append(FieldSelector(kind: kind, label: label))
        }
        self.init(selectors)
    }

    var proto: [Cardex_V1_FieldSelector] {
        selectors.map { selector in
            .with {
                $0.kind = selector.kind.proto
                $0.label = selector.label ?? ""
            }
        }
    }
}

extension OutgoingShare {
    var proto: Cardex_V1_OutgoingShare {
        .with {
            $0.shareID = id
            if let person = recipient.proto { $0.recipient = person }
            $0.fields = fields.proto
            $0.status =
                switch status {
                case .notAccepted: .notAccepted
                case .accepted: .accepted
                case .isPublic: .public
                }
            $0.createdAtMs = createdAt.unixMilliseconds
            $0.forwardedEntryID = forwardedEntryID ?? ""
        }
    }
}

extension BookEntry {
    var proto: Cardex_V1_BookEntry {
        .with {
            $0.clientEntryID = clientEntryID
            $0.name = name
            $0.phones = phones
            $0.emails = emails
        }
    }
}

extension CardView {
    var proto: Cardex_V1_SharedCard {
        .with {
            $0.userID = owner.rawValue
            $0.card = Card.readerProto(fields)
            $0.version = .with {
                $0.version = version
                $0.etag = etag
                $0.updatedAtMs = updatedAt.unixMilliseconds
            }
        }
    }
}

extension InboxEntry {
    var proto: Cardex_V1_InboxItem {
        .with {
            $0.itemID = id
            $0.shared = card.proto
            $0.receivedAtMs = receivedAt.unixMilliseconds
            if let forwarded { $0.forwardedEntry = forwarded.proto }
        }
    }
}
