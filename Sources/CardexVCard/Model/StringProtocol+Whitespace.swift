extension StringProtocol {
    /// The text without white space (spaces, tabs, line breaks and the other Unicode white space)
    /// at either end. Works on Unicode scalars, without Foundation, since the parser calls it for
    /// every name and parameter.
    func trimmingWhitespace() -> Substring {
        let scalars = Substring(self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !Self.isWhitespace($0) }),
            let last = scalars.lastIndex(where: { !Self.isWhitespace($0) })
        else { return "" }
        return Substring(scalars[first...last])
    }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII first: the Unicode property lookup is slow, and nearly every character is ASCII.
        scalar.isASCII ? scalar == " " || (scalar.value >= 0x09 && scalar.value <= 0x0D) : scalar.properties.isWhitespace
    }
}
