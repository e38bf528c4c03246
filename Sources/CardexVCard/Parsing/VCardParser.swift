import Foundation

/// Reads vCards 2.1 (versit), 3.0 (RFC 2426) and 4.0 (RFC 6350) as phones and mail programs export
/// them. Pure: no I/O, no shared state; safe to call from any thread.
///
/// What it accepts, beyond the standards: CRLF, LF or CR line ends; a UTF-8 byte order mark; UTF-16
/// files; blank lines; text outside `BEGIN:VCARD`…`END:VCARD`, and lines in a card that are not
/// properties (skipped); `BEGIN`/`END` in any case. A card nested in another (a 2.1 AGENT) is
/// skipped, its outer card kept whole; an `END:VCARD` with no card open is skipped; `BEGIN` and
/// `END` of anything but a vCard are skipped.
///
/// Lines continue in three ways: a line starting with a space or tab continues the one before
/// without that character (folding); in a quoted-printable value a line ending in `=` continues on
/// the next, whatever it starts with (a 2.1 soft line break); after a base64 value, lines of base64
/// characters continue it until an empty line (a 2.1 PHOTO block). Values are decoded as
/// ``VCardProperty`` describes: quoted-printable undone, then the bytes read in the charset the
/// `CHARSET` parameter names, UTF-8 by default, windows-1252 or ISO-8859-1 for bytes invalid in it.
public enum VCardParser {
    /// The cards in `data`, in file order; empty when it holds none.
    /// - Throws: ``VCardError``: a card never closed, or data past one of `limits`.
    public static func parse(_ data: Data, limits: VCardLimits = .defaults) throws(VCardError) -> [VCard] {
        try parse(Array(data), limits: limits)
    }

    /// The cards in `bytes`, in file order; empty when it holds none.
    /// - Throws: ``VCardError``: a card never closed, or data past one of `limits`.
    public static func parse(_ bytes: [UInt8], limits: VCardLimits = .defaults) throws(VCardError) -> [VCard] {
        var reader = ContentLineReader(bytes: InputBytes.normalized(bytes), maxLineBytes: limits.maxLineBytes)
        var cards: [VCard] = []
        var open: OpenCard?
        while let numbered = try reader.next() {
            let line = numbered.line
            switch Boundary(line) {
            case .begin:
                if open != nil {
                    open?.depth += 1
                } else {
                    guard cards.count < limits.maxCards else { throw .tooManyCards(limit: limits.maxCards) }
                    open = OpenCard(number: cards.count + 1, lineNumber: numbered.lineNumber)
                }
            case .end:
                if let depth = open?.depth, depth > 0 {
                    open?.depth -= 1
                } else if let card = open?.card {
                    cards.append(card)
                    open = nil
                }
            case nil:
                guard open?.depth == 0, line.name != "BEGIN", line.name != "END" else { continue }
                try open?.add(VCardProperty(decoding: line), limit: limits.maxPropertiesPerCard)
            }
        }
        if let card = open { throw .unclosedCard(card: card.number, line: card.lineNumber) }
        return cards
    }

    /// A card begun and not yet ended.
    private struct OpenCard {
        /// Its place in the file, from 1.
        let number: Int
        /// The line of its `BEGIN:VCARD`.
        let lineNumber: Int
        /// How many cards nested in it are open.
        var depth = 0
        var card = VCard()

        /// Adds `property`, in place.
        /// - Throws: ``VCardError/tooManyProperties(card:line:limit:)`` when the card holds `limit` already.
        mutating func add(_ property: VCardProperty, limit: Int) throws(VCardError) {
            guard card.properties.count < limit else { throw .tooManyProperties(card: number, line: lineNumber, limit: limit) }
            card.properties.append(property)
        }
    }

    /// `BEGIN:VCARD` or `END:VCARD` (any case, any group or parameters).
    private enum Boundary {
        case begin, end

        init?(_ line: ContentLine) {
            guard line.name == "BEGIN" || line.name == "END" else { return nil }
            let value = String(decoding: line.value, as: UTF8.self)
            guard value.trimmingWhitespace().uppercased() == "VCARD" else { return nil }
            self = line.name == "BEGIN" ? .begin : .end
        }
    }
}
