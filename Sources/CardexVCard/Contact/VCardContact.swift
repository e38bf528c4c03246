/// What Cardex keeps of an address-book entry: an id, a display name, phones and e-mail
/// addresses. A caller maps its own types to and from this; everything else in a vCard is read and
/// ignored.
///
/// Reading a card (``init(_:)``): values are trimmed of white space and empty ones dropped.
/// - ``uid``: the first UID, as written (`urn:uuid:…` kept whole); empty when there is none, for the
///   caller to give the entry an id of its own.
/// - ``name``: the first non-empty FN; without one, N as "Prefix Given Additional Family Suffix"
///   (empty parts left out, commas in a part kept as written); else empty.
/// - ``phones``: every TEL in order, as typed; a `tel:` prefix (any case) is removed unless the
///   property says `VALUE=text`.
/// - ``emails``: every EMAIL in order; a `mailto:` prefix is removed unless it says `VALUE=text`.
///
/// Writing one (``VCard/init(_:)``) then reading it back gives the same contact, for values without
/// white space at either end, without CR (a vCard value cannot keep CR apart from LF), and not empty.
public struct VCardContact: Sendable, Hashable {
    /// The entry's id, the vCard UID; may be empty.
    public var uid: String
    /// The display name, the vCard FN; may be empty.
    public var name: String
    /// Phone numbers as typed, in order.
    public var phones: [String]
    /// E-mail addresses, in order.
    public var emails: [String]

    /// A contact with the given fields.
    public init(uid: String = "", name: String = "", phones: [String] = [], emails: [String] = []) {
        self.uid = uid
        self.name = name
        self.phones = phones
        self.emails = emails
    }

    /// The contact `card` describes, as the type's documentation says.
    public init(_ card: VCard) {
        uid = card.first(named: "UID").map { Self.trimmed($0.text) } ?? ""
        name =
            card.properties(named: "FN").lazy.map { Self.trimmed($0.text) }.first { !$0.isEmpty }
            ?? card.first(named: "N").map(Self.displayName) ?? ""
        phones = card.properties(named: "TEL").compactMap { Self.value(of: $0, uriScheme: Self.phoneScheme) }
        emails = card.properties(named: "EMAIL").compactMap { Self.value(of: $0, uriScheme: Self.emailScheme) }
    }

    /// The URI scheme a TEL value may carry, removed on reading.
    static let phoneScheme = "tel:"
    /// The URI scheme an EMAIL value may carry, removed on reading.
    static let emailScheme = "mailto:"

    /// Whether `value` starts with `scheme`, in any case.
    static func hasScheme(_ scheme: String, _ value: String) -> Bool {
        value.lowercased().hasPrefix(scheme)
    }

    /// The trimmed text of `property` without a leading `scheme` unless it says `VALUE=text`; nil
    /// when empty.
    private static func value(of property: VCardProperty, uriScheme scheme: String) -> String? {
        var value = trimmed(property.text)
        let isText = property.parameter("VALUE").contains { $0.lowercased() == "text" }
        if !isText, hasScheme(scheme, value) { value = trimmed(String(value.dropFirst(scheme.count))) }
        return value.isEmpty ? nil : value
    }

    /// "Prefix Given Additional Family Suffix" from N (`Family;Given;Additional;Prefix;Suffix`).
    private static func displayName(_ structured: VCardProperty) -> String {
        let parts = structured.components.map(trimmed)
        func part(_ index: Int) -> String { index < parts.count ? parts[index] : "" }
        return [part(3), part(1), part(2), part(0), part(4)].filter { !$0.isEmpty }.joined(separator: " ")
    }

    private static func trimmed(_ text: String) -> String { String(text.trimmingWhitespace()) }
}
