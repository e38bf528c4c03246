extension ContentLine {
    /// The parameters of a content line from its `;`-separated pieces after the name, as
    /// ``VCardProperty/parameters`` documents them. Empty pieces are skipped.
    static func parameters(from pieces: ArraySlice<Substring>) -> [String: [String]] {
        var parameters: [String: [String]] = [:]
        for piece in pieces {
            let scalars = piece.unicodeScalars
            if let equals = scalars.firstIndex(of: "=") {
                let name = Substring(scalars[..<equals]).trimmingWhitespace().uppercased()
                guard !name.isEmpty else { continue }
                var values = values(of: Substring(scalars[scalars.index(after: equals)...]))
                if name == "TYPE" {
                    values = values.flatMap { $0.split(separator: ",").map { String($0.trimmingWhitespace()) } }
                        .filter { !$0.isEmpty }
                }
                parameters[name, default: []].append(contentsOf: values)
            } else {
                let value = String(piece.trimmingWhitespace())
                guard !value.isEmpty else { continue }
                parameters[bareParameterName(for: value), default: []].append(value)
            }
        }
        return parameters
    }

    /// The parameter a 2.1 value written without a name stands for (`TEL;CELL`, `;QUOTED-PRINTABLE`).
    static func bareParameterName(for value: String) -> String {
        switch value.uppercased() {
        case "QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT": "ENCODING"
        case "INLINE", "URL", "URI", "CONTENT-ID", "CID": "VALUE"
        default: "TYPE"
        }
    }

    /// The comma-separated values of one parameter: quotes removed (a comma inside them does not
    /// separate), unquoted values trimmed, RFC 6868 escapes undone, empty values dropped.
    private static func values(of text: Substring) -> [String] {
        var values: [String] = []
        var current = String.UnicodeScalarView()
        var inQuotes = false
        var quoted = false
        func finish() {
            var value = String(current)
            if !quoted { value = String(value.trimmingWhitespace()) }
            if !value.isEmpty { values.append(undoCaretEscapes(value)) }
            current = String.UnicodeScalarView()
            quoted = false
        }
        for scalar in text.unicodeScalars {
            if scalar == "\"" {
                inQuotes.toggle()
                quoted = true
            } else if scalar == ",", !inQuotes {
                finish()
            } else {
                current.append(scalar)
            }
        }
        finish()
        return values
    }

    /// `value` with RFC 6868 escapes undone: `^n` (or `^N`) a line feed, `^'` a double quote, `^^`
    /// a caret; a caret before anything else is kept.
    private static func undoCaretEscapes(_ value: String) -> String {
        guard value.unicodeScalars.contains("^") else { return value }
        var result = String.UnicodeScalarView()
        var afterCaret = false
        for scalar in value.unicodeScalars {
            if afterCaret {
                afterCaret = false
                switch scalar {
                case "n", "N": result.append("\n")
                case "'": result.append("\"")
                case "^": result.append("^")
                default: result.append(contentsOf: ["^", scalar])
                }
            } else if scalar == "^" {
                afterCaret = true
            } else {
                result.append(scalar)
            }
        }
        if afterCaret { result.append("^") }
        return String(result)
    }
}
