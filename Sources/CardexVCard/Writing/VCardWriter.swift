import Foundation

/// Writes vCards as vCard 4.0 (RFC 6350) text. Pure; safe to call from any thread.
public enum VCardWriter {
    /// The text of `cards`: for each, `BEGIN:VCARD`, `VERSION:4.0`, its properties in order, and
    /// `END:VCARD`. Lines end in CRLF and are folded at 75 octets, never inside a UTF-8 character.
    ///
    /// Properties are written as they are, so their values must be 4.0 values (``VCard/init(_:)``
    /// makes such cards); a VERSION, BEGIN or END among them is left out. Parameters are written in
    /// name order, each value quoted when it holds `,` `;` or `:`, with RFC 6868 `^` escapes for a
    /// line break, `"` and `^`. A line break left in an escaped value is written as `\n`, so no value
    /// can break the card's lines. Names and groups are written as given: they must be vCard names
    /// (ASCII letters, digits, `-`).
    public static func text(_ cards: [VCard]) -> String {
        var text = ""
        for card in cards {
            text += "BEGIN:VCARD\r\nVERSION:4.0\r\n"
            for property in card.properties where !["VERSION", "BEGIN", "END"].contains(property.name) {
                text += LineFolder.fold(contentLine(property))
                text += "\r\n"
            }
            text += "END:VCARD\r\n"
        }
        return text
    }

    /// ``text(_:)`` as UTF-8 bytes, as a `.vcf` file holds it.
    public static func data(_ cards: [VCard]) -> Data {
        Data(text(cards).utf8)
    }

    /// `property` as one unfolded content line, without its line end.
    static func contentLine(_ property: VCardProperty) -> String {
        var line = property.group.map { "\($0)." } ?? ""
        line += property.name
        for (name, values) in property.parameters.sorted(by: { $0.key < $1.key }) where !values.isEmpty {
            line += ";\(name)=" + values.map(parameterValue).joined(separator: ",")
        }
        line += ":"
        line += breaksEscaped(property.escapedValue)
        return line
    }

    /// One parameter value as written: RFC 6868 escapes for `^`, a line break and `"`, and quotes
    /// around it when it holds `,` `;` or `:`.
    static func parameterValue(_ value: String) -> String {
        var escaped = String.UnicodeScalarView()
        var scalars = value.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            switch scalar {
            case "^": escaped.append(contentsOf: "^^".unicodeScalars)
            case "\"": escaped.append(contentsOf: "^'".unicodeScalars)
            case "\n": escaped.append(contentsOf: "^n".unicodeScalars)
            case "\r":
                escaped.append(contentsOf: "^n".unicodeScalars)
                if pending == "\n" { pending = scalars.next() }
            default: escaped.append(scalar)
            }
        }
        let text = String(escaped)
        return text.unicodeScalars.contains { $0 == "," || $0 == ";" || $0 == ":" } ? "\"\(text)\"" : text
    }

    /// `value` with each raw line break (CRLF, CR or LF) written as `\n`.
    private static func breaksEscaped(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else { return value }
        return value.replacingOccurrences(of: "\r\n", with: "\\n")
            .replacingOccurrences(of: "\r", with: "\\n")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
