import CardexCore
import Testing

@Suite("BookValidator phone numbers")
struct BookValidatorPhoneTests {
    @Test("keeps every number as typed and matches only the valid ones, once each")
    func matchesValidNumbersOnly() throws {
        let validator = BookValidator(limits: .defaults, phoneNumbers: try PhoneNumberParser(defaultRegion: "US"))
        let typed = ["(650) 253-0000", "+1 555 123 4567", "-16502530000", "ext 5", "+1 650 253 0000", "+39 06 1234 5678", "112"]
        let entry = try validator.validate(BookEntry(clientEntryID: "1", name: "Mixed", phones: typed, emails: [], numbers: []))
        #expect(entry.phones == typed)
        #expect(entry.numbers.map(\.e164) == ["+16502530000", "+390612345678"])
    }
}
