import NIOCore

/// Hand-written coding of the common `CallHeaders` (wire.proto): a method path and maybe a
/// timeout, no metadata. The bytes are those SwiftProtobuf writes (fields in number order,
/// defaults left out); anything else goes through SwiftProtobuf. Calls in a loop pay neither
/// a message encode nor a decode for it (measured with scripts/bench.sh).
enum CallHeadersCoding {
    /// `CallHeaders.method`: field 1, length-delimited.
    static let methodTag: UInt8 = 0x0A
    /// `CallHeaders.timeout_micros`: field 3, varint.
    static let timeoutTag: UInt8 = 0x18

    /// The method path and timeout of a `CallHeaders` payload that holds nothing else
    /// (each at most once); `nil` for any other payload, valid or not.
    struct Common {
        /// The path's UTF-8 bytes, not yet validated.
        var path: ByteBuffer
        var timeoutMicros: UInt64
    }

    static func parseCommon(_ payload: ByteBuffer) -> Common? {
        var input = payload
        var path: ByteBuffer?
        var timeout: UInt64?
        while input.readableBytes > 0 {
            switch input.readInteger(as: UInt8.self) {
            case methodTag where path == nil:
                guard let length = readVarint(&input), length <= UInt64(input.readableBytes),
                      let bytes = input.readSlice(length: Int(length))
                else { return nil }
                path = bytes
            case timeoutTag where timeout == nil:
                guard let value = readVarint(&input) else { return nil }
                timeout = value
            default:
                return nil
            }
        }
        guard let path else { return nil }
        return Common(path: path, timeoutMicros: timeout ?? 0)
    }

    /// Appends a `CallHeaders` payload with `path`, no metadata, and `timeoutMicros` (left out
    /// when 0).
    static func write(path: String, timeoutMicros: UInt64, to buffer: inout ByteBuffer) {
        let utf8 = path.utf8
        if !utf8.isEmpty {
            buffer.writeInteger(methodTag)
            writeVarint(UInt64(utf8.count), to: &buffer)
            buffer.writeString(path)
        }
        if timeoutMicros > 0 {
            buffer.writeInteger(timeoutTag)
            writeVarint(timeoutMicros, to: &buffer)
        }
    }

    /// The byte count ``write(path:timeoutMicros:to:)`` appends.
    static func length(path: String, timeoutMicros: UInt64) -> Int {
        let count = path.utf8.count
        var length = count > 0 ? 1 + varintLength(UInt64(count)) + count : 0
        if timeoutMicros > 0 { length += 1 + varintLength(timeoutMicros) }
        return length
    }

    private static func readVarint(_ input: inout ByteBuffer) -> UInt64? {
        var value: UInt64 = 0
        for index in 0..<10 {
            guard let byte = input.readInteger(as: UInt8.self) else { return nil }
            value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            if byte & 0x80 == 0 {
                // The tenth byte may only carry the top bit of 64.
                return index == 9 && byte > 1 ? nil : value
            }
        }
        return nil
    }

    private static func writeVarint(_ value: UInt64, to buffer: inout ByteBuffer) {
        var value = value
        while value >= 0x80 {
            buffer.writeInteger(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        buffer.writeInteger(UInt8(value))
    }

    private static func varintLength(_ value: UInt64) -> Int {
        var value = value
        var length = 1
        while value >= 0x80 {
            value >>= 7
            length += 1
        }
        return length
    }
}
