extension VCardProperty {
    /// The property `line` holds, its value decoded: quoted-printable undone, then the bytes read
    /// in the `CHARSET` the line names (see ``Charset/decode(_:named:)``; UTF-16 only for a
    /// quoted-printable value); a base64 value is kept as its text. `ENCODING=QUOTED-PRINTABLE`
    /// and `CHARSET` are dropped once applied.
    init(decoding line: ContentLine) {
        var parameters = line.parameters
        let charset = parameters.removeValue(forKey: "CHARSET")?.first
        let value: String
        switch line.transferEncoding {
        case .quotedPrintable:
            parameters["ENCODING"] = parameters["ENCODING"]?.filter { $0.uppercased() != "QUOTED-PRINTABLE" }
            if parameters["ENCODING"]?.isEmpty == true { parameters["ENCODING"] = nil }
            value = Charset.decode(QuotedPrintable.decode(line.value)[...], named: charset)
        case .base64:
            value = Charset.decode(line.value, named: nil)
        case .none:
            // Plain bytes cannot be UTF-16 (they would hold zero bytes and line ends): such a label
            // comes from a UTF-16 file, which InputBytes has made UTF-8.
            let plainCharset = charset.flatMap { Charset.encoding(named: $0) }.map(Charset.isUTF16) == true ? nil : charset
            value = Charset.decode(line.value, named: plainCharset)
        }
        // Name and parameter names are upper-cased already.
        group = line.group
        name = line.name
        self.parameters = parameters
        escapedValue = value
    }
}
