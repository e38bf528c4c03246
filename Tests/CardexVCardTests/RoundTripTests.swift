import CardexVCard
import Foundation
import Testing

@Suite("Round trip: contact, vCard 4.0 text, parse, the same contact")
struct RoundTripTests {
    static let contacts: [VCardContact] = [
        VCardContact(uid: "vcard-1-0123456789abcdef", name: "Ana López", phones: ["+34 612 34 56 78"], emails: ["ana@example.com"]),
        VCardContact(
            uid: "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1", name: "Lee, Ann; \\Jr.\\",
            phones: ["+1 555 0100;ext=2", "555,,123", "(555) 0100 x12"], emails: ["a,b@example.com", #"back\slash@example.com"#]),
        VCardContact(uid: "weird,uid;with\\escapes\nand a line", name: "Line one\nLine two\n\nLine four"),
        VCardContact(name: "👩‍👩‍👧 Family ❤️ 🇯🇵", phones: ["☎ 1"]),
        VCardContact(uid: "山田", name: "山田 太郎", phones: ["〇九〇-1234-5678"], emails: ["太郎@例え.jp"]),
        VCardContact(name: "محمد عبد الله", emails: ["m@example.eg"]),
        VCardContact(
            name: String(repeating: "é", count: 300), phones: [String(repeating: "9", count: 200)],
            emails: [String(repeating: "漢字", count: 40) + "@example.com"]),
        VCardContact(uid: "tel:+1555", name: "tel:+1555", phones: ["tel:+1555", "TEL:2"], emails: ["mailto:x@example.com", "MAILTO:y"]),
        VCardContact(uid: "u:", name: "a\\\u{301}b;\u{301}c,\u{301}d", phones: ["1\\\u{301}"]),
        VCardContact(name: "Quote \"Q\" ^caret^ and: colon", phones: ["=41=", "=E5"]),
        VCardContact(name: "tab\there", phones: ["BEGIN:VCARD", "END:VCARD"], emails: ["END:VCARD"]),
        VCardContact(uid: "only-an-id"),
        VCardContact(),
    ]

    @Test("each contact comes back the same", arguments: contacts)
    func single(_ contact: VCardContact) throws {
        let data = VCardWriter.data([VCard(contact)])
        #expect(try VCardParser.parse(data).map(VCardContact.init) == [contact])
    }

    @Test("a file of them comes back the same, in order, and writes the same text again")
    func file() throws {
        let text = VCardWriter.text(Self.contacts.map(VCard.init))
        let read = try VCardParser.parse(Data(text.utf8))
        #expect(read.map(VCardContact.init) == Self.contacts)
        #expect(VCardWriter.text(read.map(VCardContact.init).map(VCard.init)) == text)
    }

    @Test("every file's contacts come back the same through vCard 4.0", arguments: Fixture.allCases)
    func fixture(_ fixture: Fixture) throws {
        let contacts = try fixture.contacts()
        #expect(try VCardParser.parse(VCardWriter.data(contacts.map(VCard.init))).map(VCardContact.init) == contacts)
    }
}
