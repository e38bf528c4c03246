/// Quoted-printable, the transfer encoding vCard 2.1 uses for 8-bit and multi-line values
/// (RFC 2045 §6.7).
enum QuotedPrintable {
    /// The bytes `encoded` stands for: `=XX` (two hex digits, either case) is the byte XX; a `=`
    /// at the very end is a soft line break and is dropped; any other `=` is kept as it is.
    /// Soft line breaks inside the value were already joined by the line reader.
    static func decode(_ encoded: ArraySlice<UInt8>) -> [UInt8] {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let byte = encoded[index]
            if byte == UInt8(ascii: "=") {
                if let high = hexValue(at: index + 1, in: encoded), let low = hexValue(at: index + 2, in: encoded) {
                    decoded.append(high << 4 | low)
                    index += 3
                    continue
                }
                if index + 1 == encoded.endIndex { break }
            }
            decoded.append(byte)
            index += 1
        }
        return decoded
    }

    /// The value of the hex digit at `index`; nil past the end or for another byte.
    private static func hexValue(at index: Int, in bytes: ArraySlice<UInt8>) -> UInt8? {
        guard index < bytes.endIndex else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return bytes[index] - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return bytes[index] - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return bytes[index] - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
