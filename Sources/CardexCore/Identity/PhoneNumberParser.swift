import CPhoneNumbers

/// Turns what people type into E.164 numbers, with Google's libphonenumber.
///
/// Accepted: `+` followed by the country code and number; the international prefix of the
/// default region (00 in most of Europe, 011 in North America) instead of `+`; or a national
/// number of the default region, as people there write it (libphonenumber drops a trunk `0`
/// where the region's numbers drop it and keeps the `0` of Italian numbers). Spaces, dashes,
/// dots and parentheses are ignored; letters, extensions and any other sign are refused.
///
/// The number must be valid: in a range assigned in its country or region, by libphonenumber's
/// numbering plans. A number beginning with one of ``testNumberPrefixes`` need only be the right
/// length for its country code, so that test and demo servers can use numbers that reach no one
/// (such as +1 555…, an area code North America never assigned). Refusals are
/// ``CardexError/invalidArgument(_:)`` with a message that says why and shows the expected form.
///
/// Thread-safe; parsing does no I/O (the numbering plans are compiled into the library).
/// libphonenumber's reading of the texts parsed recently is kept (``readingsKept``): it costs
/// 10–25 µs a number (regular expressions over the numbering plans), more than the rest of a
/// lookup, and the numbers people look up, sync and share recur.
public struct PhoneNumberParser: Sendable {
    /// The region whose national numbers and international prefix are understood, an ISO 3166-1
    /// alpha-2 code such as `US` or `DE`.
    public let defaultRegion: String
    /// E.164 prefixes (such as `+1555`) under which a number in no assigned range is accepted.
    public let testNumberPrefixes: [String]
    /// Texts whose reading is kept: 100,000 (a few MB).
    public static let readingsKept = 100_000

    /// What libphonenumber made of a text: its verdict and, where it read a number, the E.164 form.
    private struct Reading: Sendable {
        var verdict: CPNVerdict.RawValue
        var e164: String
    }

    private let readings = RecentCache<String, Reading>(capacity: readingsKept)

    /// Creates a parser.
    /// - Throws: ``CardexError/invalidArgument(_:)`` when `defaultRegion` is not a region
    ///   libphonenumber knows or a prefix is not `+` and digits beginning with a country code.
    public init(defaultRegion: String, testNumberPrefixes: [String] = []) throws(CardexError) {
        guard Self.isSupportedRegion(defaultRegion) else {
            throw .invalidArgument(
                "default region \"\(defaultRegion.prefix(20))\" is not one libphonenumber knows: use a two-letter ISO 3166 code such as US, GB or DE")
        }
        if let prefix = testNumberPrefixes.first(where: { !Self.isTestNumberPrefix($0) }) {
            throw .invalidArgument(
                "test number prefix \"\(prefix.prefix(20))\" is not + and digits beginning with a country code, such as +1555")
        }
        self.defaultRegion = defaultRegion
        self.testNumberPrefixes = testNumberPrefixes
    }

    /// Whether libphonenumber has the numbering plan of `region` (upper-case ISO 3166-1 alpha-2).
    public static func isSupportedRegion(_ region: String) -> Bool {
        cpn_is_supported_region(region)
    }

    /// Whether `prefix` is `+` and at most 15 digits that begin with a known country code.
    public static func isTestNumberPrefix(_ prefix: String) -> Bool {
        guard prefix.first == "+" else { return false }
        let digits = prefix.dropFirst()
        guard (1...15).contains(digits.count), digits.allSatisfy(\.isASCIIDigit) else { return false }
        return (1...min(3, digits.count)).contains { length in
            Int32(digits.prefix(length)).map { cpn_is_known_country_code($0) } ?? false
        }
    }

    /// Parses `text`.
    /// - Throws: ``CardexError/invalidArgument(_:)`` saying why and naming the expected form.
    public func parse(_ text: String) throws(CardexError) -> PhoneNumber {
        let trimmed = text.trimmingSpaces
        guard Self.hasPhoneCharacters(trimmed) else { throw invalid(text, "is not written as a phone number") }
        let key = String(trimmed)
        let reading = readings.value(for: key) { () -> Reading in
            var e164 = [CChar](repeating: 0, count: Int(CPN_E164_CAPACITY))
            let verdict = cpn_parse(key, defaultRegion, &e164)
            return Reading(verdict: verdict.rawValue, e164: String(decoding: e164.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        let number = PhoneNumber(e164: reading.e164)
        switch CPNVerdict(rawValue: reading.verdict) {
        case CPNVerdictValid:
            return number
        case CPNVerdictUnassigned where testNumberPrefixes.contains(where: number.e164.hasPrefix):
            return number
        case CPNVerdictUnassigned:
            throw invalid(text, "is in no range of numbers assigned in its country (\(number.e164))")
        case CPNVerdictWrongLength:
            throw invalid(text, "has too few or too many digits for its country (\(number.e164))")
        case CPNVerdictUnknownCountryCode:
            throw invalid(text, "does not start with a known country code")
        default:
            throw invalid(text, "is not a phone number")
        }
    }

    /// Digits, the separators people type, and `+` only first; the first sign a digit, `+` or `(`.
    /// libphonenumber alone would read past a leading `-`, spell out letters and split off
    /// extensions, none of which is a number to register or match.
    private static func hasPhoneCharacters(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCIIDigit || first == "+" || first == "(" else { return false }
        return text.dropFirst().allSatisfy { $0.isASCIIDigit || " -.()\u{00A0}".contains($0) }
    }

    private func invalid(_ text: String, _ reason: String) -> CardexError {
        .invalidArgument(
            "phone number \"\(text.prefix(40))\" \(reason): write it in E.164 form such as +4915112345678 "
                + "(+, country code, number), or as a national number of region \(defaultRegion)")
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
