import Crypto
import Foundation

/// Content tags for cards: equal fields give equal tags, any change gives a different one.
public enum ETag {
    /// The owner's tag of a whole card, audiences included: 32 hex digits of a SHA-256 over a
    /// canonical encoding.
    public static func ofCard(_ card: Card) -> String {
        tag(card.fields.map { CanonicalField($0, withAudience: true) })
    }

    /// A reader's tag of the fields it receives. Audiences are left out: the reader does not
    /// receive them, so a change to an audience that leaves the view the same keeps the tag.
    public static func ofView(_ fields: [CardField]) -> String {
        tag(fields.map { CanonicalField($0, withAudience: false) })
    }

    private static func tag(_ fields: [CanonicalField]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings with sorted keys cannot fail.
        let data = (try? encoder.encode(fields)) ?? Data()
        return SHA256.hash(data: data).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// Audience sets in a fixed order, so the tag does not depend on set iteration order.
    private struct CanonicalField: Encodable {
        let kind: String
        let label: String
        let value: String
        let audience: [String]

        init(_ field: CardField, withAudience: Bool) {
            kind = field.kind.rawValue
            label = field.label
            value = field.value
            guard withAudience else {
                audience = []
                return
            }
            switch field.audience {
            case .everyone: audience = ["everyone"]
            case .contacts: audience = ["contacts"]
            case .onlyMe: audience = ["only_me"]
            case .groups(let groups): audience = ["groups"] + groups.sorted()
            case .people(let people): audience = ["people"] + people.map(\.rawValue).sorted()
            }
        }
    }
}
