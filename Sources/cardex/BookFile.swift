import CardexProto
import Foundation

/// An address book on disk, as `cardex book upload` reads it and `cardex book download` writes it.
///
/// JSON: an array of `{"id": "…", "name": "…", "phones": […], "emails": […]}` in UTF-8
/// (`client_entry_id` is accepted for `id`; `name`, `phones` and `emails` may be left out).
/// vCard: see ``VCardBook``. What `download` writes, `upload` reads back unchanged.
enum BookFile {
    /// How a file holds its entries; the raw value is how `--format` names it.
    enum Format: String, CaseIterable {
        case json
        case vCard = "vcf"
    }

    /// The format of `path`, whose content is `data`: by its extension (``format(named:)``), else
    /// by its first characters (`[` or `{`: JSON; `BEGIN:VCARD`: vCard).
    /// - Throws: `CLIError` when neither tells.
    static func format(of path: String, data: Data) throws -> Format {
        guard let format = detectedFormat(of: path, data: data) else {
            throw CLIError("cannot tell the format of \(path): name it .json (an array of entries) or .vcf (vCards)")
        }
        return format
    }

    /// The format of `path` as ``format(of:data:)`` tells it, or `nil` when neither tells.
    static func detectedFormat(of path: String, data: Data) -> Format? {
        format(named: path) ?? format(starting: data)
    }

    /// The format the extension of `path` names (`.json`; `.vcf` or `.vcard`), any case; else nil.
    static func format(named path: String) -> Format? {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "json": .json
        case "vcf", "vcard": .vCard
        default: nil
        }
    }

    /// The format the first characters of `data` tell, after white space and a byte order mark.
    /// Zero bytes are skipped, so that UTF-16 text (which the vCard reader takes) tells too.
    private static func format(starting data: Data) -> Format? {
        let head = String(decoding: data.prefix(64).filter { $0 != 0 }, as: UTF8.self)
        // U+FFFD: a UTF-16 byte order mark, which is not UTF-8.
        let start = head.drop { $0.isWhitespace || $0 == "\u{FEFF}" || $0 == "\u{FFFD}" }
        if start.hasPrefix("[") || start.hasPrefix("{") { return .json }
        if start.prefix(11).uppercased() == "BEGIN:VCARD" { return .vCard }
        return nil
    }

    /// The entries in the file at `path`.
    /// - Throws: `CLIError` when the file cannot be read or is not a book in either format.
    static func read(from path: String) throws -> [Cardex_V1_BookEntry] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CLIError("cannot read \(path): check the path (\(error.localizedDescription))")
        }
        return try entries(in: data, format: format(of: path, data: data), path: path)
    }

    /// The entries in `data`, the content of the file at `path` (named in errors).
    /// - Throws: `CLIError` when `data` is not a book in `format` (for JSON, also when it is not UTF-8).
    static func entries(in data: Data, format: Format, path: String) throws -> [Cardex_V1_BookEntry] {
        switch format {
        case .vCard: return try VCardBook.entries(in: data, path: path)
        case .json:
            guard String(data: data, encoding: .utf8) != nil else {
                throw CLIError("\(path) is not UTF-8 text: save it as UTF-8 JSON, or export a vCard (.vcf) file")
            }
            return try entries(json: data, path: path)
        }
    }

    /// `entries` as a file in `format`: for JSON, the array `read` takes, pretty-printed, keys in a
    /// fixed order; for vCard, what ``VCardBook/data(_:)`` writes.
    static func data(_ entries: [Cardex_V1_BookEntry], format: Format) throws -> Data {
        switch format {
        case .vCard: return VCardBook.data(entries)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var data = try encoder.encode(entries.map(Entry.init))
            data.append(contentsOf: Array("\n".utf8))
            return data
        }
    }

    private static func entries(json data: Data, path: String) throws -> [Cardex_V1_BookEntry] {
        do {
            return try JSONDecoder().decode([Entry].self, from: data).map(\.proto)
        } catch let error as DecodingError {
            throw CLIError("\(path) is not a JSON array of entries {\"id\", \"name\", \"phones\", \"emails\"}: \(describe(error))")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c): context = c
        @unknown default: return "\(error)"
        }
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? context.debugDescription : "at \(path): \(context.debugDescription)"
    }

    /// One entry as the file holds it.
    private struct Entry: Codable {
        var id: String
        var name: String
        var phones: [String]
        var emails: [String]

        enum CodingKeys: String, CodingKey {
            case id, name, phones, emails
            case clientEntryID = "client_entry_id"
        }

        init(_ entry: Cardex_V1_BookEntry) {
            id = entry.clientEntryID
            name = entry.name
            phones = entry.phones
            emails = entry.emails
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            guard
                let id = try container.decodeIfPresent(String.self, forKey: .id)
                    ?? container.decodeIfPresent(String.self, forKey: .clientEntryID)
            else {
                throw DecodingError.keyNotFound(
                    CodingKeys.id, .init(codingPath: decoder.codingPath, debugDescription: "the entry has no \"id\": give each entry one"))
            }
            self.id = id
            name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
            phones = try container.decodeIfPresent([String].self, forKey: .phones) ?? []
            emails = try container.decodeIfPresent([String].self, forKey: .emails) ?? []
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(phones, forKey: .phones)
            try container.encode(emails, forKey: .emails)
        }

        var proto: Cardex_V1_BookEntry {
            .with {
                $0.clientEntryID = id
                $0.name = name
                $0.phones = phones
                $0.emails = emails
            }
        }
    }
}
