import Foundation
import NIOCore

/// Rows in the text format of `COPY … FROM STDIN` (PostgreSQL's default: fields separated by a
/// tab, rows ended by a newline, a backslash escaping the characters that would end them), built
/// in a buffer for ``PostgresCopyFromWriter``.
struct CopyTextRows {
    private(set) var buffer: ByteBuffer
    private var startsRow = true

    /// Rows in a new buffer of `capacity` bytes (it grows if more are written).
    init(capacity: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Appends a text field; a backslash, tab, newline or carriage return in it is escaped.
    mutating func text(_ value: String) {
        separate()
        var value = value
        value.withUTF8 { bytes in
            guard bytes.contains(where: Self.needsEscape) else {
                buffer.writeBytes(bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
    }

    /// Appends a `bytea` field: the value's hex form (`\x…`), its backslash escaped.
    mutating func bytes(_ value: Data) {
        separate()
        buffer.writeStaticString("\\\\x")
        for byte in value {
            buffer.writeInteger(Self.hexDigits[Int(byte >> 4)])
            buffer.writeInteger(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    /// Appends a field whose text needs no escape: a number, a boolean (`t`, `f`), a formatted
    /// time (``timestamp(_:)``).
    mutating func plain(_ value: String) {
        separate()
        buffer.writeString(value)
    }

    /// Ends the row.
    mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        startsRow = true
    }

    /// Takes the rows written so far, leaving the buffer empty.
    mutating func take() -> ByteBuffer {
        let rows = buffer
        buffer = ByteBufferAllocator().buffer(capacity: rows.capacity)
        return rows
    }

    /// `date` as a `timestamptz` field: ISO 8601 in UTC, to the microsecond (what binding a
    /// `Date` stores).
    static func timestamp(_ date: Date) -> String {
        var (seconds, microseconds) = Int64((date.timeIntervalSince1970 * 1_000_000).rounded()).quotientAndRemainder(dividingBy: 1_000_000)
        if microseconds < 0 { (seconds, microseconds) = (seconds - 1, microseconds + 1_000_000) }
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(Date.ISO8601FormatStyle())  // 2026-09-21T18:13:20Z
        return whole.dropLast() + String(format: ".%06ldZ", Int(microseconds))
    }

    private mutating func separate() {
        if !startsRow { buffer.writeInteger(UInt8(ascii: "\t")) }
        startsRow = false
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
