/// Folding of long content lines (RFC 6350 §3.2).
enum LineFolder {
    /// The most octets a written line holds, its line end not counted; a continuation line's
    /// leading space counts. RFC 6350 §3.2: lines SHOULD NOT be longer than 75 octets.
    static let maxLineOctets = 75

    /// `line` folded: a CRLF and a space inserted wherever the next Unicode scalar would take the
    /// line past ``maxLineOctets``, so no UTF-8 character is split.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > maxLineOctets else { return line }
        var folded = String.UnicodeScalarView()
        var octets = 0
        for scalar in line.unicodeScalars {
            let width = UTF8.width(scalar)
            if octets + width > maxLineOctets {
                folded.append(contentsOf: "\r\n ".unicodeScalars)
                octets = 1
            }
            folded.append(scalar)
            octets += width
        }
        return String(folded)
    }
}
