import CardexVCard
import Foundation
import Testing

@Suite("Unfolding: folded lines, quoted-printable soft line breaks, 2.1 base64 blocks")
struct UnfoldingTests {
    @Test("a line starting with a space or tab continues the one before, without that character")
    func folding() throws {
        let folded = try card("FN:Ana Ma", " ría", "\tLópez", "NOTE:one", "  two")
        #expect(folded.first(named: "FN")?.text == "Ana MaríaLópez")
        #expect(folded.first(named: "NOTE")?.text == "one two")
    }

    @Test("folding joins bytes before they are decoded, so a fold may split a UTF-8 character")
    func foldInsideCharacter() throws {
        let folded = try card(bytes: rawBytes("BEGIN:VCARD\r\nFN:M\u{C3}\r\n \u{BC}ller\r\nEND:VCARD\r\n"))
        #expect(folded.first(named: "FN")?.text == "Müller")
    }

    @Test("a fold inside a quoted parameter value, even one holding : and ;, is joined before the line is cut")
    func foldInsideQuotedParameter() throws {
        let adr = try #require(try card(#"ADR;LABEL="1 Main St.^nSpringfield; IL: 62"#, #" 701";TYPE=home:;;1"#).first(named: "ADR"))
        #expect(adr.parameters == ["LABEL": ["1 Main St.\nSpringfield; IL: 62701"], "TYPE": ["home"]])
        #expect(adr.components == ["", "", "1"])
        let label = String(repeating: "Long: label; ", count: 20)
        let long = VCardProperty(name: "ADR", parameters: ["LABEL": [label]], components: ["", "", "1 Main St."])
        #expect(try VCardParser.parse(VCardWriter.data([VCard(properties: [long])])).first?.first(named: "ADR") == long)
    }

    @Test("a quoted-printable line ending in = continues on the next line, whatever it starts with")
    func softLineBreaks() throws {
        let note = try card(
            "NOTE;ENCODING=QUOTED-PRINTABLE:first =",
            "second=0D=0A=",
            " third",
            "FN:next")
        #expect(note.first(named: "NOTE")?.text == "first second\r\n third")
        #expect(note.first(named: "FN")?.text == "next")
    }

    @Test("a soft line break stops at an empty line or END:VCARD, which a stray = must not swallow")
    func softLineBreakEnds() throws {
        let cards = try parse(
            "BEGIN:VCARD", "FN;QUOTED-PRINTABLE:Ann=", "END:VCARD",
            "BEGIN:VCARD", "NOTE;QUOTED-PRINTABLE:x=", "", "FN:Bo", "END:VCARD")
        #expect(cards.map(VCardContact.init).map(\.name) == ["Ann", "Bo"])
        #expect(cards[1].first(named: "NOTE")?.text == "x")
    }

    @Test("a 2.1 base64 block runs on over unindented lines until an empty line, or a line that is a property")
    func base64Blocks() throws {
        let photo = try card(
            "VERSION:2.1",
            "PHOTO;TYPE=JPEG;ENCODING=BASE64:",
            "/9j/4AAQSkZJRgABAQ",
            "EASABIAAD==",
            "",
            "TEL;CELL:555",
            "LOGO;BASE64:iVBORw0K",
            "GgoAAAANSUhEUgAAAAEAAAAB",
            "EMAIL:a@example.com")
        #expect(photo.first(named: "PHOTO")?.escapedValue == "/9j/4AAQSkZJRgABAQEASABIAAD==")
        #expect(photo.first(named: "LOGO")?.escapedValue == "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB")
        #expect(VCardContact(photo) == VCardContact(phones: ["555"], emails: ["a@example.com"]))
    }

    @Test("without a base64 encoding, an unindented line is a line of its own (skipped when it is not a property)")
    func noBase64Block() throws {
        let plain = try card("NOTE:abc", "defg", "FN:Ann")
        #expect(plain.properties.map(\.name) == ["NOTE", "FN"])
        #expect(plain.first(named: "NOTE")?.text == "abc")
    }

    @Test("blank lines anywhere are skipped; a line of white space is a fold like any other")
    func blankLines() throws {
        let cards = try parse("", "BEGIN:VCARD", "", "FN:Ann", "", "   ", "", "NOTE:a", "  ", "END:VCARD", "", "")
        let expected = [VCardProperty(name: "FN", escapedValue: "Ann"), VCardProperty(name: "NOTE", escapedValue: "a ")]
        #expect(cards == [VCard(properties: expected)])
    }
}
