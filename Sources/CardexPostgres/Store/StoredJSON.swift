import Foundation

/// How the PostgreSQL store encodes the `Codable` values it keeps in `TEXT` columns
/// (`shares.fields`, `shares.entry`, `events.payload`): one JSON configuration, used for every
/// such column; keys are sorted, so equal values encode to equal text. Address-book entries
/// (`book_entries.content`) are the exception: they are CardexCore's `BookEntry.storedJSON`, the
/// text both stores keep (an upload writes thousands, and `JSONEncoder` was most of its time).
enum StoredJSON {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
    private static let decoder = JSONDecoder()

    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        try decoder.decode(type, from: Data(text.utf8))
    }
}
