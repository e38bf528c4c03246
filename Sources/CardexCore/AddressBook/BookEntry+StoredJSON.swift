import Foundation

extension BookEntry {
    /// The entry as every store keeps it (`book_entries.content`), JSON written directly: an
    /// upload stores thousands of entries and `JSONEncoder` was most of its time. Produces the
    /// keys and shapes `BookEntry`'s `Decodable` conformance reads (numbers as `{"e164": …}`),
    /// always in the same order, so equal entries give equal text: the stores tell an unchanged
    /// entry of an upload by comparing this text with the stored one. ``vCard`` comes last, and
    /// only when there is one, so entries without keep the text they always had.
    public var storedJSON: String {
        var json = #"{"clientEntryID":"# + Self.quoted(clientEntryID) + #","name":"# + Self.quoted(name)
        json += #","phones":["# + phones.map(Self.quoted).joined(separator: ",")
        json += #"],"emails":["# + emails.map(Self.quoted).joined(separator: ",")
        json += #"],"numbers":["# + numbers.map { #"{"e164":"# + Self.quoted($0.e164) + "}" }.joined(separator: ",") + "]"
        if let vCard { json += Self.vCardKey + Self.quoted(vCard) }
        return json + "}"
    }

    /// Whether `stored`, an entry's ``storedJSON``, holds the same fields as `content`, the
    /// ``storedJSON`` of an entry without ``vCard``: an upload that sends an entry's fields as
    /// they are leaves the vCard a contacts app stored alone.
    public static func storedJSON(_ stored: String, hasFieldsOf content: String) -> Bool {
        // The key cannot appear earlier: within a JSON string every quote is escaped.
        guard let key = stored.range(of: vCardKey) else { return stored == content }
        return content.last == "}" && content.dropLast() == stored[..<key.lowerBound]
    }

    private static let vCardKey = #","vCard":"#

    /// A JSON string literal (RFC 8259 escapes).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += "\\u" + String(format: "%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
