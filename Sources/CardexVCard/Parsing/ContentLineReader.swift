/// A content line with its folding undone, and the line of the file it starts on.
struct NumberedLine {
    /// The content line, continuation lines joined.
    var line: ContentLine
    /// The physical line it starts on, from 1.
    var lineNumber: Int
}

/// Reads content lines one at a time from a file's bytes, undoing the three ways vCards continue a
/// line: a line starting with a space or tab continues the one before without that character
/// (folding, all versions); in a quoted-printable value, a line ending in `=` continues on the next
/// line whatever it starts with (a soft line break, 2.1); after a base64 value, lines of base64
/// characters only continue it until an empty line (a 2.1 PHOTO block). Line ends are CRLF, LF
/// or CR. Empty lines, and lines that are not properties (``ContentLine/init(_:closedQuotes:)``),
/// are skipped.
///
/// The encoding that decides the last two is read from the first physical line, when its colon is
/// there outside quotes; a property whose name and parameters are themselves folded is joined by
/// folding only.
struct ContentLineReader {
    private let bytes: [UInt8]
    private let maxLineBytes: Int
    /// Where the next physical line starts.
    private var position = 0
    /// The number of the physical line read last.
    private var lineNumber = 0

    /// A reader of `bytes` (as ``InputBytes`` leaves them) that throws for a content line longer
    /// than `maxLineBytes`.
    init(bytes: [UInt8], maxLineBytes: Int) {
        self.bytes = bytes
        self.maxLineBytes = maxLineBytes
    }

    /// The next content line; nil at the end of the bytes.
    /// - Throws: ``VCardError/lineTooLong(line:limit:)``.
    mutating func next() throws(VCardError) -> NumberedLine? {
        while let first = physicalLine(at: position) {
            consume(first)
            guard !first.range.isEmpty else { continue }
            let start = lineNumber
            guard first.range.count <= maxLineBytes else { throw .lineTooLong(line: start, limit: maxLineBytes) }
            var line = Array(bytes[first.range])
            // Cut once: continuations add to the value only, unless the first line has no colon
            // outside quotes (its name and parameters are folded too).
            let head = ContentLine(line[...], closedQuotes: true)
            let encoding = head?.transferEncoding ?? .none
            while let next = physicalLine(at: position) {
                let continuation = bytes[next.range]
                let added: ArraySlice<UInt8>
                if encoding == .quotedPrintable, line.last == UInt8(ascii: "="), Self.continuesSoftBreak(continuation) {
                    line.removeLast()
                    added = continuation
                } else if let lead = continuation.first, lead == UInt8(ascii: " ") || lead == UInt8(ascii: "\t") {
                    added = continuation.dropFirst()
                } else if encoding == .base64, Self.isBase64Run(continuation) {
                    added = continuation
                } else {
                    break
                }
                guard line.count + added.count <= maxLineBytes else { throw .lineTooLong(line: start, limit: maxLineBytes) }
                line.append(contentsOf: added)
                consume(next)
            }
            guard let content = head.map({ $0.withValue(runningToEndOf: line) }) ?? ContentLine(line[...]) else { continue }
            return NumberedLine(line: content, lineNumber: start)
        }
        return nil
    }

    /// Whether `line` may follow a quoted-printable soft line break: not empty, and not
    /// `END:VCARD`, which some exporters leave after a stray `=` ending the last value.
    private static func continuesSoftBreak(_ line: ArraySlice<UInt8>) -> Bool {
        let end = Array("END:VCARD".utf8)
        let isEnd = line.count >= end.count && zip(line, end).allSatisfy { $0 & 0xDF == $1 & 0xDF }
        return !line.isEmpty && !isEnd
    }

    /// Whether `line` is a non-empty run of base64 characters and white space (no colon, so never a
    /// property).
    private static func isBase64Run(_ line: ArraySlice<UInt8>) -> Bool {
        !line.isEmpty
            && line.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: " "), UInt8(ascii: "\t"):
                    true
                default:
                    false
                }
            }
    }

    /// The physical line starting at `start` (without its line end) and where the one after it
    /// starts; nil at the end of the bytes.
    private func physicalLine(at start: Int) -> (range: Range<Int>, next: Int)? {
        guard start < bytes.count else { return nil }
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n"), bytes[end] != UInt8(ascii: "\r") { end += 1 }
        var next = end
        if next < bytes.count {
            next += bytes[next] == UInt8(ascii: "\r") && next + 1 < bytes.count && bytes[next + 1] == UInt8(ascii: "\n") ? 2 : 1
        }
        return (start..<end, next)
    }

    private mutating func consume(_ line: (range: Range<Int>, next: Int)) {
        position = line.next
        lineNumber += 1
    }
}
