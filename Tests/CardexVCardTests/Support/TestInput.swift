import CardexVCard
import Foundation
import Testing

/// The cards in `lines`, joined with CRLF.
func parse(_ lines: String..., limits: VCardLimits = .defaults) throws(VCardError) -> [VCard] {
    try VCardParser.parse(Data(lines.joined(separator: "\r\n").utf8), limits: limits)
}

/// The one card of `lines`, joined with CRLF and wrapped in BEGIN/END.
func card(_ lines: String...) throws -> VCard {
    try card(lines: lines)
}

/// The one card of `lines`, joined with CRLF and wrapped in BEGIN/END.
func card(lines: [String]) throws -> VCard {
    let cards = try VCardParser.parse(Data((["BEGIN:VCARD"] + lines + ["END:VCARD"]).joined(separator: "\r\n").utf8))
    return try #require(cards.first)
}

/// The one card in `bytes` (a whole file).
func card(bytes: [UInt8]) throws -> VCard {
    try #require(try VCardParser.parse(bytes).first)
}

/// Each scalar of `text` (all below U+0100) as one byte: for bytes that are not UTF-8.
func rawBytes(_ text: String) -> [UInt8] {
    text.unicodeScalars.map { UInt8($0.value) }
}

/// The default limits with `change` made to them.
func limits(_ change: (inout VCardLimits) -> Void) -> VCardLimits {
    var limits = VCardLimits.defaults
    change(&limits)
    return limits
}
