import CardexProto
import CardexVCard
import Foundation

/// A book file in vCard, read and written with CardexVCard: vCard 2.1, 3.0 and 4.0 in (bytes in
/// any charset the cards name, as Apple Contacts, Google Contacts and Android export them), vCard
/// 4.0 out.
///
/// An entry is what ``VCardContact`` keeps of a card: UID the id, FN (else N) the name, each TEL a
/// phone, each EMAIL an address. A card without UID gets ``entryID(position:name:)``, the same on
/// every upload of the same file. What ``data(_:)`` writes, ``entries(in:path:)`` reads back as the
/// same entries, for values without white space at either end, without CR and not empty (as
/// ``VCardContact`` says): so a downloaded book uploads as unchanged.
enum VCardBook {
    /// The entries of the cards in `data`, the content of the file at `path`, in file order.
    /// - Throws: `CLIError` naming `path` and what ``VCardParser`` found wrong (a card never closed,
    ///   a limit of ``VCardLimits/defaults`` passed).
    static func entries(in data: Data, path: String) throws -> [Cardex_V1_BookEntry] {
        let cards: [VCard]
        do {
            cards = try VCardParser.parse(data)
        } catch {
            throw CLIError("cannot read \(path): \(error.description)")
        }
        return cards.enumerated().map { index, card in
            let contact = VCardContact(card)
            return .with {
                $0.clientEntryID = contact.uid.isEmpty ? entryID(position: index + 1, name: contact.name) : contact.uid
                $0.name = contact.name
                $0.phones = contact.phones
                $0.emails = contact.emails
            }
        }
    }

    /// `entries` as a vCard 4.0 file: one card per entry, in order, its UID the entry's id.
    static func data(_ entries: [Cardex_V1_BookEntry]) -> Data {
        VCardWriter.data(
            entries.map { entry in
                VCard(VCardContact(uid: entry.clientEntryID, name: entry.name, phones: entry.phones, emails: entry.emails))
            })
    }

    /// The id of a card without UID: `vcard-<position>-<stableHash(name)>`, `position` counting the
    /// file's cards from 1. The same file gives the same ids on every upload; the rule must not
    /// change, or books uploaded before would see every such entry replaced.
    static func entryID(position: Int, name: String) -> String {
        "vcard-\(position)-\(stableHash(name))"
    }

    /// 64-bit FNV-1a of `text`'s UTF-8, in hex: unlike `Hasher`, the same in every process.
    static func stableHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
