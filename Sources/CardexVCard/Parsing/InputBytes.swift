/// A file's bytes made ready for the line reader, which works on 8-bit text whose line breaks,
/// colons and semicolons are ASCII bytes.
enum InputBytes {
    /// `bytes` without a UTF-8 byte order mark; UTF-16 (with a byte order mark, or recognised by a
    /// zero byte in every other place of the first four) transcoded to UTF-8, unpaired surrogates
    /// becoming U+FFFD. Anything else is returned as it is: 8-bit text is decoded per value, in the
    /// charset each one names.
    static func normalized(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return Array(bytes.dropFirst(3)) }
        if bytes.starts(with: [0xFE, 0xFF]) { return utf8(fromUTF16: bytes.dropFirst(2), bigEndian: true) }
        if bytes.starts(with: [0xFF, 0xFE]) { return utf8(fromUTF16: bytes.dropFirst(2), bigEndian: false) }
        guard bytes.count >= 4 else { return bytes }
        if bytes[0] == 0, bytes[1] != 0, bytes[2] == 0, bytes[3] != 0 { return utf8(fromUTF16: bytes[...], bigEndian: true) }
        if bytes[0] != 0, bytes[1] == 0, bytes[2] != 0, bytes[3] == 0 { return utf8(fromUTF16: bytes[...], bigEndian: false) }
        return bytes
    }

    /// The UTF-8 of UTF-16 `bytes`; an odd last byte is dropped.
    private static func utf8(fromUTF16 bytes: ArraySlice<UInt8>, bigEndian: Bool) -> [UInt8] {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let (high, low) = bigEndian ? (bytes[index], bytes[index + 1]) : (bytes[index + 1], bytes[index])
            units.append(UInt16(high) << 8 | UInt16(low))
            index += 2
        }
        var text = String(decoding: units, as: UTF16.self)
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        return Array(text.utf8)
    }
}
