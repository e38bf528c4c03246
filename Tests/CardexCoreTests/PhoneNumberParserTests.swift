import CardexCore
import Testing

@Suite("PhoneNumberParser")
struct PhoneNumberParserTests {
    @Test(
        "reads international and national numbers of many countries into E.164",
        arguments: [
            // North America: with +1, national, with the trunk 1 and no +, the international prefix 011.
            ("US", "+1 650 253 0000", "+16502530000"),
            ("US", "(650) 253-0000", "+16502530000"),
            ("US", "1 650 253 0000", "+16502530000"),
            ("US", "  (201) 555-0123 ", "+12015550123"),
            ("US", "011 44 20 7946 0123", "+442079460123"),
            // The United Kingdom, Germany (00 as the international prefix), France: the trunk 0 goes.
            ("US", "+44 20 7946 0123", "+442079460123"),
            ("GB", "020 7946 0123", "+442079460123"),
            ("US", "+49 151 1234-5678", "+4915112345678"),
            ("DE", "0151 12345678", "+4915112345678"),
            ("DE", "0049 (151) 12345678", "+4915112345678"),
            ("US", "+33 1 23 45 67 89", "+33123456789"),
            ("FR", "01.23.45.67.89", "+33123456789"),
            // Italy: the leading 0 of a fixed line is part of the number.
            ("US", "+39 06 1234 5678", "+390612345678"),
            ("IT", "06 1234 5678", "+390612345678"),
            // India, Japan, Brazil.
            ("US", "+91 98765 43210", "+919876543210"),
            ("IN", "098765 43210", "+919876543210"),
            ("US", "+81 3-1234-5678", "+81312345678"),
            ("JP", "03-1234-5678", "+81312345678"),
            ("US", "+55 11 91234-5678", "+5511912345678"),
            ("BR", "(11) 91234-5678", "+5511912345678"),
        ])
    func reads(region: String, input: String, expected: String) throws {
        #expect(try PhoneNumberParser(defaultRegion: region).parse(input).e164 == expected)
    }

    @Test(
        "refuses what is not a number in service, saying why and naming the expected form",
        arguments: [
            ("+999 123 456 789", "known country code"),  // no country has +999
            ("-1 650 253 0000", "not written as a phone number"),  // a negative number
            ("-15551234567", "not written as a phone number"),
            ("+1 650 FLOWERS", "not written as a phone number"),  // letters
            ("650 253 0000 ext 5", "not written as a phone number"),
            ("call me", "not written as a phone number"),
            ("++16502530000", "not written as a phone number"),
            ("1+6502530000", "not written as a phone number"),
            ("", "not written as a phone number"),
            ("+", "is not a phone number"),
            ("12", "too few or too many digits"),
            ("+1 650 253", "too few or too many digits"),
            ("+1 650 253 00001", "too few or too many digits"),
            ("+1234567890123456", "too few or too many digits"),
            ("+1 555 123 4567", "no range of numbers assigned"),  // well formed, but area code 555 is unassigned
            ("0612345678", "no range of numbers assigned"),  // an Italian number read in region US
        ])
    func refuses(input: String, reason: String) throws {
        let parser = try PhoneNumberParser(defaultRegion: "US")
        #expect {
            try parser.parse(input)
        } throws: { error in
            guard case .invalidArgument(let message) = error as? CardexError else { return false }
            return message.contains(reason) && message.contains("E.164") && message.contains("region US")
        }
    }

    @Test("accepts numbers in no assigned range only under a test prefix, and only of the right length")
    func testNumbers() throws {
        let parser = try PhoneNumberParser(defaultRegion: "US", testNumberPrefixes: ["+1555"])
        #expect(try parser.parse("+1 555 123 4567").e164 == "+15551234567")
        #expect(try parser.parse("555-010-4242").e164 == "+15550104242")
        #expect(try parser.parse("1 555 010 0001").e164 == "+15550100001")
        #expect(try parser.parse("+1 650 253 0000").e164 == "+16502530000")
        for refused in ["+1 556 123 4567", "+1 555 123", "+1 555 123 45678", "-15551234567", "+999 555 123 4567"] {
            #expect(throws: CardexError.self, "\(refused)") { try parser.parse(refused) }
        }
    }

    @Test(
        "refuses an unknown default region or a malformed test prefix",
        arguments: [("XX", []), ("us", []), ("1", []), ("", []), ("US", ["1555"]), ("US", ["+999"]), ("US", ["+"]), ("US", ["+1 555"])])
    func refusesSettings(region: String, prefixes: [String]) {
        #expect(throws: CardexError.self) { try PhoneNumberParser(defaultRegion: region, testNumberPrefixes: prefixes) }
    }
}
