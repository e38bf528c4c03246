import Foundation

/// The phone numbers `cardex discover` asks about, from a file or standard input.
///
/// A `.json` or `.vcf` address book (as ``BookFile`` tells and reads it) gives every phone of
/// every entry; any other file is a list, one number a line, where blank lines and lines
/// starting with `#` are skipped. Each distinct text comes once, in file order. The texts are
/// not parsed here: the server does, and a text that is no phone number is simply not found.
enum PhoneListFile {
    /// The path that names standard input.
    static let standardInput = "-"

    /// How messages name `path`: `standard input` for `-`.
    static func displayName(of path: String) -> String {
        path == standardInput ? "standard input" : path
    }

    /// The numbers in the file at `path`, or on standard input when `path` is `-`.
    /// - Throws: `CLIError` when the file cannot be read, is a book that does not parse, or is a
    ///   list that is not UTF-8.
    static func read(from path: String) throws -> [String] {
        let data: Data
        do {
            data =
                path == standardInput
                ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CLIError("cannot read \(displayName(of: path)): check the path (\(error.localizedDescription))")
        }
        return try numbers(in: data, path: path)
    }

    /// The numbers in `data`, the content of the file at `path` (whose extension may name a
    /// book format).
    static func numbers(in data: Data, path: String) throws -> [String] {
        let all: [String]
        if let format = BookFile.detectedFormat(of: path, data: data) {
            all = try BookFile.entries(in: data, format: format, path: displayName(of: path)).flatMap(\.phones)
        } else {
            guard let text = String(data: data, encoding: .utf8) else {
                throw CLIError("\(displayName(of: path)) is not UTF-8 text: save it as UTF-8, one number a line")
            }
            all = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        var seen = Set<String>()
        return all.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}
