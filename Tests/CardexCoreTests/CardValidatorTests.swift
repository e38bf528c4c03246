import CardexCore
import Testing

@Suite("CardValidator")
struct CardValidatorTests {
    let validator: CardValidator

    init() throws {
        validator = CardValidator(limits: .defaults, phoneNumbers: try PhoneNumberParser(defaultRegion: "US"))
    }

    @Test("normalises phones and trims text")
    func normalises() throws {
        let card = try validator.validate(
            Card(fields: [
                CardField(kind: .name, value: "  Ada Lovelace ", audience: .everyone),
                CardField(kind: .phone, label: "mobile", value: "(201) 555-0123", audience: .contacts),
            ]))
        #expect(card.fields.map(\.value) == ["Ada Lovelace", "+12015550123"])
    }

    @Test(
        "refuses bad values",
        arguments: [
            CardField(kind: .email, value: "not-an-address", audience: .everyone),
            CardField(kind: .birthday, value: "1815-02-30", audience: .everyone),
            CardField(kind: .birthday, value: "10 Dec 1815", audience: .everyone),
            CardField(kind: .photoURL, value: "ftp://example.com/a.png", audience: .everyone),
            CardField(kind: .phone, value: "call me", audience: .everyone),
            CardField(kind: .phone, value: "+999123456789", audience: .everyone),
            CardField(kind: .note, value: "   ", audience: .everyone),
            CardField(kind: .name, value: "a\u{0}b", audience: .everyone),
            CardField(kind: .name, value: "Ada", audience: .groups([])),
        ])
    func refusesBadValues(field: CardField) {
        #expect(throws: CardexError.self) { try validator.validate(Card(fields: [field])) }
    }

    @Test("accepts birthdays with and without the year")
    func birthdays() throws {
        for value in ["1815-12-10", "--12-10", "--02-29"] {
            _ = try validator.validate(Card(fields: [CardField(kind: .birthday, value: value, audience: .onlyMe)]))
        }
    }

    @Test("refuses a second name and too many fields")
    func limits() {
        let twoNames = Card(fields: [
            CardField(kind: .name, value: "A", audience: .everyone), CardField(kind: .name, value: "B", audience: .everyone),
        ])
        #expect(throws: CardexError.self) { try validator.validate(twoNames) }
        let many = Card(fields: (0...CardLimits.defaults.maxFields).map { CardField(kind: .email, value: "a\($0)@example.com", audience: .everyone) })
        #expect(throws: CardexError.self) { try validator.validate(many) }
        let longValue = Card(fields: [CardField(kind: .address, value: String(repeating: "x", count: 1025), audience: .everyone)])
        #expect(throws: CardexError.self) { try validator.validate(longValue) }
    }
}
