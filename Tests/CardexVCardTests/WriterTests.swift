import CardexVCard
import Foundation
import Testing

@Suite("VCardWriter: vCard 4.0 text")
struct WriterTests {
    @Test("a contact is written as BEGIN, VERSION:4.0, UID, FN, TEL as text, EMAIL, END, with CRLF line ends")
    func golden() {
        let contact = VCardContact(
            uid: "vcard-1-0123456789abcdef", name: "Ana López", phones: ["+34 612 34 56 78", "ext. 12"],
            emails: ["ana@example.com"])
        #expect(
            VCardWriter.text([VCard(contact)]) == """
                BEGIN:VCARD\r
                VERSION:4.0\r
                UID;VALUE=text:vcard-1-0123456789abcdef\r
                FN:Ana López\r
                TEL;VALUE=text:+34 612 34 56 78\r
                TEL;VALUE=text:ext. 12\r
                EMAIL:ana@example.com\r
                END:VCARD\r

                """)
        #expect(VCardWriter.data([VCard(contact)]) == Data(VCardWriter.text([VCard(contact)]).utf8))
    }

    @Test(
        "UID is a URI when it has a scheme and nothing to escape, else text; empty uid, no UID; FN always",
        arguments: [
            ("urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1", "UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"),
            ("https://example.com/c/1", "UID:https://example.com/c/1"),
            ("urn:x;y", #"UID;VALUE=text:urn:x\;y"#), ("1:2", "UID;VALUE=text:1:2"), ("abc", "UID;VALUE=text:abc"),
            (":x", "UID;VALUE=text::x"),
        ])
    func uid(_ uid: String, _ line: String) {
        #expect(VCardWriter.text([VCard(VCardContact(uid: uid))]) == "BEGIN:VCARD\r\nVERSION:4.0\r\n\(line)\r\nFN:\r\nEND:VCARD\r\n")
    }

    @Test("no uid, no UID line; an empty name, an empty FN")
    func empty() {
        #expect(VCardWriter.text([VCard(VCardContact())]) == "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:\r\nEND:VCARD\r\n")
        #expect(VCardWriter.text([]) == "")
    }

    @Test("text values escape \\ , ; and line breaks")
    func escaping() {
        let contact = VCardContact(name: "a,b;c\\d\ne\r\nf\rg", phones: ["1;ext=2"], emails: ["mailto:x@example.com"])
        let lines = VCardWriter.text([VCard(contact)]).components(separatedBy: "\r\n")
        #expect(lines[2] == #"FN:a\,b\;c\\d\ne\nf\ng"#)
        #expect(lines[3] == #"TEL;VALUE=text:1\;ext=2"#)
        #expect(lines[4] == "EMAIL;VALUE=text:mailto:x@example.com")
    }

    @Test(
        "lines fold at 75 octets with CRLF and a space, never inside a UTF-8 character",
        arguments: [
            String(repeating: "a", count: 300), String(repeating: "é", count: 200), String(repeating: "漢字", count: 90),
            String(repeating: "👩‍👩‍👧", count: 40), "x" + String(repeating: "€", count: 100), String(repeating: "a", count: 72),
        ])
    func folding(_ name: String) throws {
        let text = VCardWriter.text([VCard(VCardContact(name: name))])
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map { Array($0.utf8) }
        for line in lines {
            #expect(line.count <= 75)
            #expect(String(validating: line, as: UTF8.self) != nil, "a line boundary splits a UTF-8 character")
        }
        let bytes = Array(text.utf8)
        #expect(bytes.indices.allSatisfy { bytes[$0] != 13 || bytes[$0 + 1] == 10 }, "every CR is followed by LF")
        #expect(bytes.indices.allSatisfy { bytes[$0] != 10 || bytes[$0 - 1] == 13 }, "every LF follows a CR")
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("\r\nFN:\(name)\r\n"))
        #expect(try VCardContact(#require(try VCardParser.parse(Data(text.utf8)).first)).name == name)
    }

    @Test("parameters in name order, quoted when they hold , ; :, with ^ escapes; groups kept; VERSION written once")
    func generic() {
        let card = VCard(properties: [
            VCardProperty(name: "VERSION", escapedValue: "3.0"),
            VCardProperty(
                group: "item1", name: "adr",
                parameters: ["type": ["home", "pref"], "LABEL": ["1 Main St.\nSpringfield; IL", "say \"hi\" ^"], "EMPTY": []],
                components: ["", "", "1 Main St.", "Springfield"]),
            VCardProperty(name: "NOTE", escapedValue: "raw\nbreak\r\nand CRLF"),
        ])
        #expect(
            VCardWriter.text([card]) == """
                BEGIN:VCARD\r
                VERSION:4.0\r
                item1.ADR;LABEL="1 Main St.^nSpringfield; IL",say ^'hi^' ^^;TYPE=home,pref:\r
                 ;;1 Main St.;Springfield\r
                NOTE:raw\\nbreak\\nand CRLF\r
                END:VCARD\r

                """)
    }

    @Test("what the writer writes, the parser reads back as the same properties")
    func genericRoundTrip() throws {
        let card = VCard(properties: [
            VCardProperty(
                group: "item1", name: "ADR", parameters: ["LABEL": ["a: b; c, d\n\"e\" ^"], "TYPE": ["home", "pref"]],
                components: ["", "", "1 Main St.", "Springfield, IL; USA"]),
            VCardProperty(group: "item1", name: "X-ABLABEL", text: "Ferienhaus 🏖️"),
            VCardProperty(name: "NOTE", text: String(repeating: "long note; with, escapes\\ ", count: 10)),
        ])
        let version = VCardProperty(name: "VERSION", escapedValue: "4.0")
        #expect(try VCardParser.parse(VCardWriter.data([card])) == [VCard(properties: [version] + card.properties)])
    }
}
