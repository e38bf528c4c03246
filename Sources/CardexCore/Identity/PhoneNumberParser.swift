/// Turns what people type into E.164 numbers.
///
/// Accepted: `+` followed by the country code and number; `00` instead of `+`; or national
/// digits, which get the default country code (one leading trunk `0` is dropped first).
/// Spaces, dashes, dots and parentheses are ignored. Anything else is refused with a message
/// showing the expected form.
public struct PhoneNumberParser: Sendable {
    /// The country code added to numbers written without one, digits only (for example `49`).
    public let defaultCountryCode: String

    /// E.164 allows at most 15 digits; the shortest numbers in use have 7.
    static let digitCount = 7...15

    /// Creates a parser.
    /// - Precondition: `defaultCountryCode` is 1 to 3 digits not starting with 0.
    public init(defaultCountryCode: String) {
        precondition(
            (1...3).contains(defaultCountryCode.count) && defaultCountryCode.allSatisfy(\.isASCIIDigit)
                && !defaultCountryCode.hasPrefix("0"),
            "default country code must be 1-3 digits, not starting with 0"
        )
        self.defaultCountryCode = defaultCountryCode
    }

    /// Parses `text`.
    /// - Throws: ``CardexError/invalidArgument(_:)`` naming the expected form.
    public func parse(_ text: String) throws(CardexError) -> PhoneNumber {
        var digits = ""
        var international = false
        for (index, character) in text.trimmingSpaces.enumerated() {
            if character.isASCIIDigit {
                digits.append(character)
            } else if character == "+" && index == 0 {
                international = true
            } else if !" -.()\u{00A0}".contains(character) {
                throw invalid(text)
            }
        }
        if !international && digits.hasPrefix("00") {
            international = true
            digits.removeFirst(2)
        } else if !international {
            if digits.hasPrefix("0") { digits.removeFirst() }
            digits = defaultCountryCode + digits
        }
        guard Self.digitCount.contains(digits.count), !digits.hasPrefix("0") else { throw invalid(text) }
        return PhoneNumber(e164: "+" + digits)
    }

    private func invalid(_ text: String) -> CardexError {
        .invalidArgument(
            "phone number \"\(text.prefix(40))\" is not valid: write it in E.164 form such as +4915112345678 "
                + "(+, country code, number; 7 to 15 digits), or as national digits, which get the default country code +\(defaultCountryCode)"
        )
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    var trimmingSpaces: Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
