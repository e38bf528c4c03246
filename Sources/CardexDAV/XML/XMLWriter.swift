/// Writes the XML of CardDAV's answers: a multistatus and its parts, with the namespaces
/// bound to fixed prefixes on the root element.
struct XMLWriter {
    private(set) var text = #"<?xml version="1.0" encoding="utf-8"?>"# + "\n"

    /// The prefix each namespace is written with.
    static let prefixes: [String: String] = [
        XMLName.Namespace.dav: "d", XMLName.Namespace.cardDAV: "card", XMLName.Namespace.calendarServer: "cs",
    ]

    /// `namespace:local`, or the name with a namespace declaration of its own for an unknown namespace.
    static func qualified(_ name: XMLName) -> (name: String, declaration: String) {
        if let prefix = prefixes[name.namespace] { return ("\(prefix):\(name.local)", "") }
        return ("x:\(name.local)", #" xmlns:x="\#(escape(name.namespace))""#)
    }

    /// Opens the root element, declaring the fixed prefixes.
    mutating func openRoot(_ name: XMLName) {
        let declarations = Self.prefixes.sorted { $0.value < $1.value }.map { #" xmlns:\#($0.value)="\#($0.key)""# }.joined()
        text += "<\(Self.qualified(name).name)\(declarations)>"
    }

    mutating func open(_ name: XMLName) {
        let (qualified, declaration) = Self.qualified(name)
        text += "<\(qualified)\(declaration)>"
    }

    mutating func close(_ name: XMLName) {
        text += "</\(Self.qualified(name).name)>"
    }

    /// An element with nothing inside, with `attributes` (name, value) in order.
    mutating func empty(_ name: XMLName, attributes: KeyValuePairs<String, String> = [:]) {
        let (qualified, declaration) = Self.qualified(name)
        let written = attributes.map { #" \#($0.key)="\#(Self.escape($0.value))""# }.joined()
        text += "<\(qualified)\(declaration)\(written)/>"
    }

    /// `content` as text inside the element open now.
    mutating func characters(_ content: String) {
        text += Self.escape(content)
    }

    /// An element holding `content` as text.
    mutating func element(_ name: XMLName, text content: String) {
        open(name)
        characters(content)
        close(name)
    }

    /// An element holding what `body` writes.
    mutating func element(_ name: XMLName, _ body: (inout XMLWriter) -> Void) {
        open(name)
        body(&self)
        close(name)
    }

    /// `text` with `&`, `<`, `>`, `"` and carriage returns escaped, and the characters XML 1.0
    /// cannot hold (controls other than tab, newline, return) left out.
    static func escape(_ text: String) -> String {
        // Most text (hrefs, etags, names) needs nothing: checked byte by byte, it is returned as is.
        let plain = text.utf8.allSatisfy { byte in
            byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "&") && byte != UInt8(ascii: "<") && byte != UInt8(ascii: ">")
                && byte != UInt8(ascii: "\"")
        }
        if plain { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "\r": escaped += "&#13;"  // kept: a parser would turn a bare CR into a line feed
            case "\t", "\n": escaped.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF { escaped.unicodeScalars.append(scalar) }
            }
        }
        return escaped
    }
}
