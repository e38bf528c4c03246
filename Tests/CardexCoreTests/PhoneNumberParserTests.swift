import CardexCore
import Testing

@Suite("PhoneNumberParser")
struct PhoneNumberParserTests {
    let parser = PhoneNumberParser(defaultCountryCode: "49")

    @Test(
        "accepts E.164, 00-prefixed and national numbers",
        arguments: [
            ("+4915112345678", "+4915112345678"),
            ("+49 151 1234-5678", "+4915112345678"),
            ("0049 (151) 12345678", "+4915112345678"),
            ("015112345678", "+4915112345678"),
            ("15112345678", "+4915112345678"),
            ("  +1 555 123 4567 ", "+15551234567"),
        ])
    func accepts(input: String, expected: String) throws {
        #expect(try parser.parse(input).e164 == expected)
    }

    @Test(
        "refuses what is not a phone number, naming the expected form",
        arguments: ["", "abc", "+49 151 x", "+0123456789", "+1234567890123456", "12", "+", "1+2345678", "++4915112345678"])
    func refuses(input: String) {
        #expect {
            try parser.parse(input)
        } throws: { error in
            guard case .invalidArgument(let message) = error as? CardexError else { return false }
            return message.contains("E.164") && message.contains("+49")
        }
    }
}
