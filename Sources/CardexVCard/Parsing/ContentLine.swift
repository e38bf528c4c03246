/// One unfolded content line cut into its parts, `[group "."] name *(";" param) ":" value`.
/// The value stays bytes: only the parameters say how to read them.
struct ContentLine {
    /// The group before the name, as written; nil when there is none.
    var group: String?
    /// The name, upper-cased.
    var name: String
    /// The parameters, as ``VCardProperty/parameters`` documents them.
    var parameters: [String: [String]]
    /// The bytes after the colon.
    var value: ArraySlice<UInt8>

    /// `bytes` cut into its parts; nil for a line that is not a property (no colon, or a name or group
    /// that is not ASCII letters, digits, `-` and `_`), which the parser skips as junk.
    ///
    /// The value starts at the first colon outside a double-quoted parameter value or, when the
    /// quotes never close (2.1 has no quoting), at the first colon; with `closedQuotes`, such a line is
    /// nil instead, since its quotes may close on a continuation line.
    init?(_ bytes: ArraySlice<UInt8>, closedQuotes: Bool = false) {
        guard let colon = Self.colonIndex(in: bytes, closedQuotes: closedQuotes) else { return nil }
        let header = Charset.decode(bytes[..<colon], named: nil)
        let chunks = Self.split(Substring(header), at: ";")
        let fullName = chunks[0].trimmingWhitespace()
        if let dot = fullName.lastIndex(of: ".") {
            group = String(fullName[..<dot])
            name = String(fullName[fullName.index(after: dot)...]).uppercased()
        } else {
            group = nil
            name = fullName.uppercased()
        }
        guard Self.isName(name), group.map(Self.isName) ?? true else { return nil }
        parameters = Self.parameters(from: chunks.dropFirst())
        value = bytes[(colon + 1)...]
    }

    /// This line with its value running on to the end of `joined`: the bytes it was cut from with
    /// continuation lines joined on, the name and parameters unchanged.
    func withValue(runningToEndOf joined: [UInt8]) -> ContentLine {
        var line = self
        line.value = joined[value.startIndex...]
        return line
    }

    /// How the value is encoded for transfer, from its `ENCODING` parameter.
    var transferEncoding: TransferEncoding {
        let encodings = parameters["ENCODING"]?.map { $0.uppercased() } ?? []
        if encodings.contains("QUOTED-PRINTABLE") { return .quotedPrintable }
        if encodings.contains("B") || encodings.contains("BASE64") { return .base64 }
        return .none
    }

    /// Whether `text` is a vCard name or group: one or more ASCII letters, digits or `-` (RFC 6350),
    /// or `_`, which some exporters use.
    private static func isName(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
    }

    /// Where the value starts, as ``init(_:closedQuotes:)`` says.
    private static func colonIndex(in bytes: ArraySlice<UInt8>, closedQuotes: Bool) -> Int? {
        var firstColon: Int?
        var inQuotes = false
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: "\""): inQuotes.toggle()
            case UInt8(ascii: ":"):
                if !inQuotes { return index }
                if firstColon == nil { firstColon = index }
            default: break
            }
        }
        return closedQuotes ? nil : firstColon
    }

    /// `text` cut at each `separator` outside double quotes; always at least one piece.
    static func split(_ text: Substring, at separator: Unicode.Scalar) -> [Substring] {
        var pieces: [Substring] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var inQuotes = false
        for index in scalars.indices {
            if scalars[index] == "\"" {
                inQuotes.toggle()
            } else if scalars[index] == separator, !inQuotes {
                pieces.append(Substring(scalars[start..<index]))
                start = scalars.index(after: index)
            }
        }
        pieces.append(Substring(scalars[start...]))
        return pieces
    }
}

/// How a value is encoded for transfer.
enum TransferEncoding {
    /// Plain text.
    case none
    /// Quoted-printable (2.1): decoded before the charset is applied; a line ending in `=` continues.
    case quotedPrintable
    /// Base64 (`ENCODING=b` in 3.0, `BASE64` in 2.1): binary data, kept as its base64 text; in 2.1
    /// the block runs on over following lines until an empty one.
    case base64
}
