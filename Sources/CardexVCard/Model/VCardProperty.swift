/// One property of a vCard, `[group.]NAME;PARAM=value:value`, with its transfer encoding and
/// charset undone.
///
/// Names and parameter names are upper-cased (vCard names are case-insensitive); everything else is
/// kept as written. The value keeps its vCard escapes: ``text`` and ``components`` undo them, since
/// only the property's meaning says whether `;` separates components.
public struct VCardProperty: Sendable, Hashable {
    /// The group before the name (`item1` in `item1.EMAIL`), as written; nil when there is none.
    /// Apple and Google tie a label (`item1.X-ABLabel`) to a property this way.
    public var group: String?
    /// The name, upper-cased: `TEL`, `X-ABLABEL`.
    public var name: String
    /// The parameters by upper-cased name, each with its values in order, without quotes and with
    /// RFC 6868 `^` escapes undone.
    ///
    /// `TYPE` values are split at commas, so `TYPE=cell,voice`, `TYPE="cell,voice"` and
    /// `TYPE=cell;TYPE=voice` all give `["cell", "voice"]`. A 2.1 parameter without a name is filed
    /// under the one it stands for: `ENCODING` for `QUOTED-PRINTABLE`, `BASE64`, `8BIT`, `7BIT`;
    /// `VALUE` for `INLINE`, `URL`, `CONTENT-ID`, `CID`; `TYPE` for the rest (`TEL;CELL;VOICE`).
    /// The parser removes `ENCODING=QUOTED-PRINTABLE` and `CHARSET` once it has applied them, since
    /// they no longer describe ``escapedValue``.
    public var parameters: [String: [String]]
    /// The value as text, vCard escapes (`\,` `\;` `\n` `\\`) still in place. A base64 value
    /// (`ENCODING=b` or `BASE64`) is kept as its base64 text.
    public var escapedValue: String

    /// A property whose value is already escaped (or needs no escaping, as a URI).
    /// `name` and the parameter names are upper-cased.
    public init(group: String? = nil, name: String, parameters: [String: [String]] = [:], escapedValue: String) {
        self.group = group
        self.name = name.uppercased()
        // Sorted first, so names that differ only in case merge their values in one order.
        self.parameters = Dictionary(parameters.sorted { $0.key < $1.key }.map { ($0.key.uppercased(), $0.value) }, uniquingKeysWith: +)
        self.escapedValue = escapedValue
    }

    /// A property with a text value, escaped here.
    public init(group: String? = nil, name: String, parameters: [String: [String]] = [:], text: String) {
        self.init(group: group, name: name, parameters: parameters, escapedValue: VCardText.escape(text))
    }

    /// A property with a structured value (N, ADR): each component escaped, joined by `;`.
    public init(group: String? = nil, name: String, parameters: [String: [String]] = [:], components: [String]) {
        self.init(
            group: group, name: name, parameters: parameters,
            escapedValue: components.map(VCardText.escape).joined(separator: ";"))
    }

    /// The value as one text, escapes undone: `\n` gives a line feed, `\,` `\;` `\\` `\:` the
    /// character; a backslash before anything else is kept.
    public var text: String { VCardText.unescape(Substring(escapedValue)) }

    /// The value split at unescaped `;`, each component's escapes undone: N gives family, given,
    /// additional, prefixes, suffixes. Commas inside a component are kept as written.
    public var components: [String] { VCardText.splitComponents(escapedValue).map(VCardText.unescape) }

    /// The values of the parameter `name` (any case); empty when it is absent.
    public func parameter(_ name: String) -> [String] { parameters[name.uppercased()] ?? [] }

    /// The `TYPE` values, lower-cased: `["cell", "voice"]`.
    public var types: [String] { parameter("TYPE").map { $0.lowercased() } }
}
