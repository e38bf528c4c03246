/// A person's own contact card: a list of fields, each with the audience that may read it.
public struct Card: Sendable, Hashable, Codable {
    /// The fields, in the owner's order.
    public var fields: [CardField]

    /// Creates a card.
    public init(fields: [CardField] = []) {
        self.fields = fields
    }
}

/// One entry of a card: a kind, an optional label ("work"), a value and its audience.
public struct CardField: Sendable, Hashable, Codable {
    /// What the value is.
    public var kind: FieldKind
    /// Free text such as "work" or "home"; may be empty.
    public var label: String
    /// The value, validated by kind (phones in E.164, URLs http(s), birthdays as dates).
    public var value: String
    /// Who may read the field.
    public var audience: Audience

    /// Creates a field.
    public init(kind: FieldKind, label: String = "", value: String, audience: Audience) {
        self.kind = kind
        self.label = label
        self.value = value
        self.audience = audience
    }
}

/// What a card field holds.
public enum FieldKind: String, Sendable, Hashable, Codable, CaseIterable {
    case name, phone, email, im, organisation, title, address, birthday, note
    case photoURL = "photo_url"
    case url

    /// Kinds a card holds at most once.
    public var isSingle: Bool {
        switch self {
        case .name, .organisation, .title, .birthday, .note, .photoURL: true
        case .phone, .email, .im, .address, .url: false
        }
    }
}
