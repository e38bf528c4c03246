/// The escaping of vCard text values (RFC 6350 §3.4, RFC 2426 §5.8.4), written once for the reader
/// and the writer.
///
/// Works on Unicode scalars, not `Character`s: a backslash or semicolon followed by a combining mark
/// is one `Character` but still an escape or a separator.
enum VCardText {
    /// `text` escaped for a text value: `\` `,` `;` get a backslash, a line break (CRLF, CR or LF)
    /// becomes `\n`. A vCard value has no way to keep a CR apart from a LF.
    static func escape(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            switch scalar {
            case "\\", ",", ";":
                result.append("\\")
                result.append(scalar)
            case "\r":
                result.append(contentsOf: "\\n".unicodeScalars)
                if pending == "\n" { pending = scalars.next() }
            case "\n":
                result.append(contentsOf: "\\n".unicodeScalars)
            default:
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// `escaped` with the escapes undone: `\n` and `\N` give a line feed; `\,` `\;` `\\` and `\:`
    /// (Google writes it in URLs) give the character. A backslash before anything else is kept, so
    /// 2.1 text, which has no backslash escape, loses nothing but those pairs.
    static func unescape(_ escaped: Substring) -> String {
        guard escaped.unicodeScalars.contains("\\") else { return String(escaped) }
        var result = String.UnicodeScalarView()
        var afterBackslash = false
        for scalar in escaped.unicodeScalars {
            if afterBackslash {
                afterBackslash = false
                switch scalar {
                case "n", "N": result.append("\n")
                case ",", ";", "\\", ":": result.append(scalar)
                default:
                    result.append("\\")
                    result.append(scalar)
                }
            } else if scalar == "\\" {
                afterBackslash = true
            } else {
                result.append(scalar)
            }
        }
        if afterBackslash { result.append("\\") }
        return String(result)
    }

    /// `escaped` split at each `;` not escaped by a backslash, the escapes left in place: the
    /// components of a structured value such as N or ADR.
    static func splitComponents(_ escaped: String) -> [Substring] {
        var components: [Substring] = []
        var start = escaped.unicodeScalars.startIndex
        var afterBackslash = false
        for index in escaped.unicodeScalars.indices {
            let scalar = escaped.unicodeScalars[index]
            if afterBackslash {
                afterBackslash = false
            } else if scalar == "\\" {
                afterBackslash = true
            } else if scalar == ";" {
                components.append(Substring(escaped.unicodeScalars[start..<index]))
                start = escaped.unicodeScalars.index(after: index)
            }
        }
        components.append(Substring(escaped.unicodeScalars[start...]))
        return components
    }
}
