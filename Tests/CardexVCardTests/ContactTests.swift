import CardexVCard
import Testing

@Suite("VCardContact: what Cardex keeps of a card")
struct ContactTests {
    @Test(
        "the name is the first non-empty FN, else N as Prefix Given Additional Family Suffix, else empty",
        arguments: [
            (["FN:Ann Lee", "N:Lee;Ann;;;"], "Ann Lee"),
            (["FN:", "FN:  ", "FN:Second", "N:Lee;Ann;;;"], "Second"),
            (["FN: ", "N:Lee;Ann;Marie;Dr.;PhD"], "Dr. Ann Marie Lee PhD"),
            (["N:Lee;Ann"], "Ann Lee"),
            (["N:Lee"], "Lee"),
            ([#"N:O\;Neil; Ann ;;;"#], "Ann O;Neil"),
            (["N:;;;;"], ""),
            (["TEL:1"], ""),
        ])
    func name(_ lines: [String], _ name: String) throws {
        #expect(VCardContact(try card(lines: lines)).name == name)
    }

    @Test("tel: and mailto: prefixes are removed, unless the value says VALUE=text")
    func uriPrefixes() throws {
        let contact = VCardContact(
            try card(
                "TEL;VALUE=uri:tel:+1-555-0100", "TEL:TEL:+1-555-0101", "TEL;VALUE=text:tel:typed", "TEL;VALUE=TEXT:tel:again",
                "EMAIL:mailto:a@example.com", "EMAIL:MAILTO:b@example.com", "EMAIL;VALUE=text:mailto:c@example.com"))
        #expect(contact.phones == ["+1-555-0100", "+1-555-0101", "tel:typed", "tel:again"])
        #expect(contact.emails == ["a@example.com", "b@example.com", "mailto:c@example.com"])
    }

    @Test("values are trimmed and empty ones dropped; the first UID is the uid; order is kept")
    func trimmedAndOrdered() throws {
        let contact = VCardContact(
            try card(
                "UID: abc ", "UID:second", "TEL:  ", "TEL: 2 ", "TEL:1", "TEL:tel:", "EMAIL:", "EMAIL:\tz@example.com ", "EMAIL:a@example.com",
                "FN: Ann "))
        #expect(contact == VCardContact(uid: "abc", name: "Ann", phones: ["2", "1"], emails: ["z@example.com", "a@example.com"]))
    }

    @Test("escapes in the values are undone")
    func escapes() throws {
        let contact = VCardContact(try card(#"UID:a\,b"#, #"FN:Lee\, Ann\nJr."#, #"TEL:1\;ext=2"#, #"EMAIL:a\\b@example.com"#))
        #expect(contact == VCardContact(uid: "a,b", name: "Lee, Ann\nJr.", phones: ["1;ext=2"], emails: [#"a\b@example.com"#]))
    }

    @Test("a card's contact is made of the properties in it, whatever they are called in the file")
    func caseInsensitive() throws {
        let contact = VCardContact(try card("uid:1", "item2.fn:Ann", "Tel;type=cell:2", "email;internet:a@example.com"))
        #expect(contact == VCardContact(uid: "1", name: "Ann", phones: ["2"], emails: ["a@example.com"]))
    }

    @Test("VCard(contact) holds UID, FN, TEL and EMAIL properties, in that order")
    func writtenCard() {
        let card = VCard(VCardContact(uid: "u", name: "n", phones: ["p1", "p2"], emails: ["e"]))
        #expect(card.properties.map(\.name) == ["UID", "FN", "TEL", "TEL", "EMAIL"])
        #expect(card.properties(named: "TEL").map(\.parameters) == [["VALUE": ["text"]], ["VALUE": ["text"]]])
        #expect(card.version == nil)
    }
}
