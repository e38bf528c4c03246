import CardexVCard
import Foundation
import Testing

/// The files under `Fixtures/`, each in the shape one exporter writes (photos are random bytes).
enum Fixture: String, CaseIterable, CustomTestStringConvertible {
    /// Apple Contacts (macOS), vCard 3.0: `item1.` groups with `X-ABLabel`, `type=pref`, a folded
    /// base64 PHOTO, `X-ABUID`, no UID; CRLF.
    case apple
    /// Google Contacts' export, vCard 3.0: `TYPE=CELL`, `item1.X-ABLabel`, `\:` in URLs, an empty
    /// FN, a PHOTO URL, an FN folded inside a UTF-8 character; CRLF.
    case google
    /// Android's Contacts export, vCard 2.1: `TEL;CELL`, quoted-printable UTF-8 with soft line
    /// breaks, `X-CUSTOM(…)` labels, a base64 PHOTO block ended by an empty line; CRLF.
    case android
    /// vCard 2.1 as Outlook and older phones write it, in ISO-8859-1/windows-1252 bytes, with and
    /// without CHARSET, an unindented base64 PHOTO block and a nested AGENT card; CRLF.
    case latin1
    /// vCard 4.0 in the shapes of RFC 6350's examples: UID URNs, `TEL;VALUE=uri;TYPE="voice,cell"`,
    /// `mailto:`, a card without FN, ALTID names, a LABEL parameter with `^n`; LF.
    case v4

    /// The file's bytes, as the exporter wrote them.
    func data() throws -> Data {
        let url = try #require(Bundle.module.url(forResource: rawValue, withExtension: "vcf", subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    /// The file's cards.
    func cards() throws -> [VCard] { try VCardParser.parse(data()) }

    /// The file's contacts.
    func contacts() throws -> [VCardContact] { try cards().map(VCardContact.init) }

    var testDescription: String { "\(rawValue).vcf" }
}
