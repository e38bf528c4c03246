/// The one rule for text people send: card values and labels, group names and tags, address-book
/// entries, device names, local names. Every such string passes ``check(_:what:maxBytes:lines:)``
/// before it is stored or compared.
///
/// Text is trimmed of surrounding spaces and newlines (unless the caller keeps it as sent, as
/// address-book entries are), then refused when it holds a character that is not text:
/// - control characters (Unicode category Cc: C0 such as NUL, ESC and BEL; DEL; C1), except
///   the line feed in multi-line text;
/// - the line and paragraph separators (U+2028, U+2029) in one-line text;
/// - the bidirectional embedding, override and isolate marks (U+202A–U+202E, U+2066–U+2069),
///   which make a name read differently from what it is.
/// Joiners and variation selectors stay: emoji and many scripts need them.
public enum UserText {
    /// Whether a text may hold line feeds.
    public enum Lines: Sendable {
        case one
        case many
    }

    /// `text`, trimmed unless `trim` is false, when it is within `maxBytes` of UTF-8 and holds
    /// only text.
    /// - Parameter what: names the text in the error ("a group's name", "label").
    /// - Throws: ``CardexError/invalidArgument(_:)`` saying what is wrong with it.
    public static func check(
        _ text: String, what: String, maxBytes: Int, lines: Lines = .one, trim: Bool = true
    ) throws(CardexError) -> String {
        let trimmed = trim ? String(text.trimmingSpaces) : text
        guard trimmed.utf8.count <= maxBytes else {
            throw .invalidArgument("\(what) is longer than \(maxBytes) bytes")
        }
        if let bad = trimmed.unicodeScalars.first(where: { !isText($0, lines: lines) }) {
            let code = String(bad.value, radix: 16, uppercase: true)
            throw .invalidArgument("\(what) contains U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code), which is not text")
        }
        return trimmed
    }

    /// Whether `scalar` may appear in text of `lines`.
    static func isText(_ scalar: Unicode.Scalar, lines: Lines) -> Bool {
        switch scalar.value {
        case 0x0A: lines == .many
        case 0x2028, 0x2029: lines == .many
        case 0x202A...0x202E, 0x2066...0x2069: false
        default: scalar.properties.generalCategory != .control
        }
    }
}
