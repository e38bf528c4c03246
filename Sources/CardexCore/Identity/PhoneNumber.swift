/// A phone number in E.164 form: `+`, a country code and the subscriber number, 7 to 15 digits.
public struct PhoneNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The number as E.164 text, for example `+4915112345678`.
    public let e164: String

    /// Wraps stored E.164 text without checking it; use ``PhoneNumberParser`` for input.
    public init(e164: String) {
        self.e164 = e164
    }

    public var description: String { e164 }
}
