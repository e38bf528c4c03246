import Foundation

/// Text from the bytes of a value in the charset a `CHARSET` parameter names, never failing.
enum Charset {
    /// `bytes` as text in the charset called `name`, UTF-8 when `name` is nil or not known here.
    /// Bytes that are not valid in that charset are read as windows-1252, or ISO-8859-1 (which
    /// every byte is) when windows-1252 leaves one undefined: exporters that name no charset, or the
    /// wrong one, mostly wrote one of these.
    static func decode(_ bytes: ArraySlice<UInt8>, named name: String?) -> String {
        let encoding = name.flatMap(encoding(named:)) ?? .utf8
        if !isUTF16(encoding), encoding != .iso2022JP, !bytes.contains(where: { $0 >= 0x80 }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        if encoding == .utf8 {
            if let text = String(validating: bytes, as: UTF8.self) { return text }
        } else if let text = String(data: Data(bytes), encoding: encoding) {
            return text
        }
        return String(data: Data(bytes), encoding: .windowsCP1252)
            ?? String(bytes.map { Character(Unicode.Scalar($0)) })
    }

    /// Whether `encoding` is UTF-16, of either byte order.
    static func isUTF16(_ encoding: String.Encoding) -> Bool {
        encoding == .utf16 || encoding == .utf16BigEndian || encoding == .utf16LittleEndian
    }

    /// The encoding a charset name stands for, by its IANA name or a common alias (any case).
    /// Foundation decodes each on macOS; on Linux it has no EUC-JP, whose values fall back as above.
    /// ISO-8859-1 is read as windows-1252, its superset, as web browsers do (WHATWG Encoding):
    /// files labelled Latin-1 often hold windows-1252 quotes, dashes and the euro sign.
    static func encoding(named name: String) -> String.Encoding? {
        let name = name.trimmingWhitespace().uppercased()
        switch name {
        case "UTF-8", "UTF8": return .utf8
        case "US-ASCII", "ASCII", "ANSI_X3.4-1968": return .ascii
        case "ISO-8859-1", "ISO8859-1", "ISO_8859-1", "LATIN1", "LATIN-1", "L1", "CP819", "IBM819",
            "WINDOWS-1252", "CP1252", "X-CP1252":
            return .windowsCP1252
        case "ISO-8859-2", "ISO8859-2", "ISO_8859-2", "LATIN2", "L2": return .isoLatin2
        case "WINDOWS-1250", "CP1250": return .windowsCP1250
        case "WINDOWS-1251", "CP1251": return .windowsCP1251
        case "WINDOWS-1253", "CP1253": return .windowsCP1253
        case "WINDOWS-1254", "CP1254": return .windowsCP1254
        case "SHIFT_JIS", "SHIFT-JIS", "SJIS", "X-SJIS", "WINDOWS-31J", "CP932", "MS_KANJI": return .shiftJIS
        case "EUC-JP": return .japaneseEUC
        case "ISO-2022-JP": return .iso2022JP
        case "UTF-16": return .utf16
        case "UTF-16BE": return .utf16BigEndian
        case "UTF-16LE": return .utf16LittleEndian
        default: return nil
        }
    }
}
