import CardexVCard
import Foundation

/// The vCard target: any bytes, as a PUT body or an uploaded book file, into ``VCardParser``,
/// and what it read back through ``VCardWriter``.
///
/// Checked, for every input:
/// - parsing returns cards or throws ``VCardError``, within the limits given (no crash, no
///   sanitizer report, no card or property past them);
/// - each card's contact (``VCardContact``), written as vCard 4.0 and read again, is one card
///   with the same contact, when its values keep to the round trip's terms (no CR: a vCard value
///   cannot keep CR apart from LF);
/// - what the writer wrote is UTF-8 with CRLF line ends and no line longer than 75 octets.
public enum VCardCheck {
    /// Small limits, so that inputs reach them.
    static let limits = VCardLimits(maxLineBytes: 4096, maxPropertiesPerCard: 64, maxCards: 16)

    public static func run(_ bytes: [UInt8]) {
        let cards: [VCard]
        do {
            cards = try VCardParser.parse(bytes, limits: limits)
        } catch {
            return  // refused, with a VCardError: what hostile input should get
        }
        fuzzCheck(cards.count <= limits.maxCards, "\(cards.count) cards past the limit of \(limits.maxCards)")
        for card in cards {
            fuzzCheck(card.properties.count <= limits.maxPropertiesPerCard, "a card of \(card.properties.count) properties")
            let contact = VCardContact(card)
            let values = [contact.uid, contact.name] + contact.phones + contact.emails
            guard !values.contains(where: { $0.contains("\r") }) else { continue }
            let written = VCardWriter.data([VCard(contact)])
            checkLines(written)
            let again: [VCard]
            do {
                again = try VCardParser.parse(written)
            } catch {
                fuzzCheck(false, "the writer's card does not parse: \(error); contact \(contact)")
                return
            }
            fuzzCheck(again.count == 1, "the writer's card parses as \(again.count) cards")
            let back = VCardContact(again[0])
            fuzzCheck(back == contact, "round trip changed the contact: \(contact) became \(back)")
        }
    }

    /// UTF-8, CRLF line ends only, at most 75 octets a line (RFC 6350 §3.2).
    private static func checkLines(_ data: Data) {
        guard let text = String(data: data, encoding: .utf8) else {
            fuzzCheck(false, "the writer wrote bytes that are not UTF-8")
            return
        }
        let lines = text.components(separatedBy: "\r\n")
        for line in lines {
            fuzzCheck(!line.contains("\r") && !line.contains("\n"), "a bare CR or LF in \(line.debugDescription)")
            fuzzCheck(line.utf8.count <= 75, "a line of \(line.utf8.count) octets: \(line.debugDescription)")
        }
    }
}
