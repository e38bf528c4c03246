import CardexProto
import Foundation

/// Reads address-book entries from vCard text (versions 2.1, 3.0 and 4.0): one entry per
/// `BEGIN:VCARD` … `END:VCARD` block.
///
/// FN gives the name (N when there is no FN), each TEL a phone, each EMAIL an e-mail address and
/// UID the entry's id. An entry without UID gets `vcard-<position>-<hash of its name>`, the same on
/// every run for the same file. Folded lines (continued by a leading space or tab) are unfolded;
/// other properties, and text outside the blocks, are ignored. Quoted-printable values are not
/// decoded.
struct VCardReader {
    /// The entries of `text`, in file order.
    /// - Throws: `CLIError` for a block that is never closed.
    static func entries(in text: String) throws -> [Cardex_V1_BookEntry] {
        var entries: [Cardex_V1_BookEntry] = []
        var current: Card?
        for line in unfoldedLines(text) {
            guard let property = Property(line: line) else { continue }
            switch (property.name, property.value.uppercased()) {
            case ("BEGIN", "VCARD"):
                if current != nil { throw CLIError("vCard \(entries.count + 1) has no END:VCARD: close each card before the next BEGIN:VCARD") }
                current = Card()
            case ("END", "VCARD"):
                if let card = current { entries.append(card.entry(position: entries.count + 1)) }
                current = nil
            default:
                current?.add(property)
            }
        }
        if current != nil { throw CLIError("vCard \(entries.count + 1) has no END:VCARD: the file may be cut short") }
        return entries
    }

    /// The lines of `text` with folding undone: a line starting with a space or tab continues the
    /// one before it, without that first character.
    static func unfoldedLines(_ text: String) -> [String] {
        var lines: [String] = []
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: true) {
            if let first = line.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += line.dropFirst()
            } else {
                lines.append(String(line))
            }
        }
        return lines
    }

    /// One content line: `[group.]NAME[;params]:value`.
    struct Property {
        /// Upper-cased, without its group.
        let name: String
        let value: String

        init?(line: String) {
            // The value starts at the first colon outside a quoted parameter value.
            var inQuotes = false
            guard let colon = line.firstIndex(where: { character in
                if character == "\"" { inQuotes.toggle() }
                return character == ":" && !inQuotes
            }) else { return nil }
            let head = line[..<colon].split(separator: ";", maxSplits: 1).first ?? ""
            name = (head.split(separator: ".").last.map(String.init) ?? "").uppercased()
            value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { return nil }
        }
    }

    /// What one block has gathered so far.
    struct Card {
        var uid = ""
        var formattedName = ""
        var structuredName = ""
        var phones: [String] = []
        var emails: [String] = []

        mutating func add(_ property: Property) {
            let value = VCardReader.unescape(property.value)
            guard !value.isEmpty else { return }
            switch property.name {
            case "UID": uid = value
            case "FN": formattedName = value
            case "N": structuredName = VCardReader.displayName(structured: property.value)
            case "TEL": phones.append(value.lowercased().hasPrefix("tel:") ? String(value.dropFirst(4)) : value)
            case "EMAIL": emails.append(value.lowercased().hasPrefix("mailto:") ? String(value.dropFirst(7)) : value)
            default: break
            }
        }

        /// The entry; `position` (from 1) names it when it has no UID.
        func entry(position: Int) -> Cardex_V1_BookEntry {
            let name = formattedName.isEmpty ? structuredName : formattedName
            return .with {
                $0.clientEntryID = uid.isEmpty ? "vcard-\(position)-\(VCardReader.stableHash(name))" : uid
                $0.name = name
                $0.phones = phones
                $0.emails = emails
            }
        }
    }

    /// `Given Family` from an N value (`Family;Given;Additional;Prefix;Suffix`).
    static func displayName(structured: String) -> String {
        let parts = splitUnescaped(structured, on: ";").map(unescape)
        let ordered = [parts.count > 3 ? parts[3] : "", parts.count > 1 ? parts[1] : "", parts.count > 2 ? parts[2] : "", parts[0],
                       parts.count > 4 ? parts[4] : ""]
        return ordered.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// `text` split on `separator` where it is not escaped by a backslash.
    static func splitUnescaped(_ text: String, on separator: Character) -> [String] {
        var parts = [""]
        var escaped = false
        for character in text {
            if character == separator, !escaped {
                parts.append("")
            } else {
                parts[parts.count - 1].append(character)
            }
            escaped = character == "\\" && !escaped
        }
        return parts
    }

    /// A text value with the vCard escapes (`\n`, `\,`, `\;`, `\\`) undone.
    static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var result = ""
        var escaped = false
        for character in text {
            if escaped {
                result.append(character == "n" || character == "N" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
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
