import CardexVCard
import Foundation
import Testing

@Suite("Files as Apple Contacts, Google Contacts and Android export them, 4.0 and Latin-1 files")
struct FixtureTests {
    @Test("Apple Contacts 3.0: item groups, X-ABLabel, type=pref, a folded base64 PHOTO, X-ABUID")
    func apple() throws {
        let cards = try Fixture.apple.cards()
        #expect(
            cards.map(VCardContact.init) == [
                VCardContact(
                    name: "Dr. Johnny Quincy Appleseed Jr.", phones: ["+1 (408) 555-0199", "(408) 555-0100", "555-0142"],
                    emails: ["johnny@example.com", "j.appleseed@example.org"]),
                VCardContact(name: "Café Müller & Söhne", phones: ["+49 89 123456"], emails: ["info@cafe-mueller.example"]),
                VCardContact(
                    name: "Seán O'Brien, Esq. 🍀", phones: ["+353 87 123 4567", "+353 1 555 0000"],
                    emails: ["sean@obrien.example", "sean.obrien@home.example"]),
            ])
        let johnny = cards[0]
        let email = try #require(johnny.first(named: "email"))
        #expect(email.group == "item1")
        #expect(email.types == ["internet", "pref"])
        let label = try #require(johnny.properties.first { $0.group == "item1" && $0.name == "X-ABLABEL" })
        #expect(label.text == "_$!<Other>!$_")
        #expect(johnny.first(named: "X-ABUID")?.text == "5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE:ABPerson")
        #expect(johnny.first(named: "NOTE")?.text == "Met at WWDC, 2019\nLikes apples; pears")
        #expect(johnny.first(named: "ADR")?.components == ["", "", "1 Apple Park Way", "Cupertino", "CA", "95014", "United States"])
        let photo = try #require(johnny.first(named: "PHOTO"))
        #expect(photo.parameters == ["ENCODING": ["b"], "TYPE": ["JPEG"]])
        #expect(Data(base64Encoded: photo.escapedValue)?.starts(with: [0xFF, 0xD8, 0xFF]) == true)
        #expect(johnny.version == "3.0")
    }

    @Test("Google Contacts 3.0: TYPE=CELL, item1.X-ABLabel, an empty FN, \\: in URLs, a fold inside a UTF-8 character")
    func google() throws {
        let cards = try Fixture.google.cards()
        #expect(
            cards.map(VCardContact.init) == [
                VCardContact(
                    name: "Ana María López", phones: ["+34 612 34 56 78", "91 123 45 67", "+34 699 000 111"],
                    emails: ["ana@example.com", "ana.lopez@work.example"]),
                VCardContact(name: "Mr. Van An Nguyen", phones: ["0912 345 678"]),
                VCardContact(name: "王小明", phones: ["+86 139 1234 5678"], emails: ["xiaoming.wang@example.cn"]),
                VCardContact(
                    name: "Maximiliane Theodora Bernadette von und zu Hohenzollern-Sigmaringen de Ünal",
                    phones: ["+49 30 901820", "+49 151 23456789"], emails: ["m.uenal@example.de"]),
            ])
        let ana = cards[0]
        #expect(ana.first(named: "TEL")?.types == ["cell"])
        #expect(ana.properties.first { $0.group == "item1" && $0.name == "X-ABLABEL" }?.text == "Casa de campo")
        #expect(ana.first(named: "URL")?.text == "https://example.com/ana")
        #expect(ana.first(named: "NOTE")?.text == "Primera línea\nSegunda línea")
        #expect(cards[2].first(named: "PHOTO")?.text.hasPrefix("https://lh3.googleusercontent.com/") == true)
    }

    @Test("Android 2.1: TEL;CELL, quoted-printable UTF-8 with soft line breaks, X-CUSTOM labels, a base64 PHOTO block")
    func android() throws {
        let cards = try Fixture.android.cards()
        #expect(
            cards.map(VCardContact.init) == [
                VCardContact(name: "张三", phones: ["+86 138 0013 8000", "010-1234 5678", "+86 10 8888 7777"], emails: ["zhang.san@example.cn"]),
                VCardContact(name: "欧阳小明和大明的哥哥", phones: ["138-0000-1111"], emails: ["ouyang@example.cn"]),
                VCardContact(
                    name: "John Smith", phones: ["+1-202-555-0173", "+1 202 555 0174", "+1 202 555 0175"],
                    emails: ["john.smith@work.example", "john@home.example"]),
                VCardContact(phones: ["5551234"]),
            ])
        let zhang = cards[0]
        let name = try #require(zhang.first(named: "N"))
        #expect(name.components == ["张", "三", "", "", ""])
        #expect(name.parameters.isEmpty, "ENCODING=QUOTED-PRINTABLE and CHARSET are applied, then dropped")
        #expect(zhang.first(named: "NOTE")?.text == "这是一段很长的备注\n第二行")
        #expect(zhang.first(named: "PHOTO")?.parameters == ["ENCODING": ["BASE64"], "TYPE": ["JPEG"]])
        #expect(zhang.properties.map(\.name) == ["VERSION", "N", "FN", "TEL", "TEL", "TEL", "EMAIL", "NOTE", "PHOTO"])
        #expect(cards[1].first(named: "N")?.components == ["欧阳", "小明和大明的哥哥", "", "", ""])
        let john = cards[2]
        #expect(john.first(named: "TEL")?.types == ["cell", "pref"])
        #expect(john.properties(named: "TEL")[2].types == ["work", "fax"])
        #expect(john.first(named: "NOTE")?.text == "Line one\r\nLine two")
    }

    @Test("2.1 in ISO-8859-1 and windows-1252 bytes: CHARSET, no CHARSET, a PHOTO block without indent, a nested AGENT")
    func latin1() throws {
        let cards = try Fixture.latin1.cards()
        #expect(
            cards.map(VCardContact.init) == [
                VCardContact(
                    name: "Dr. Jürgen Müller", phones: ["+49 30 1234567", "+49 171 7654321", "+49 30 1234569"],
                    emails: ["juergen.mueller@example.de"]),
                VCardContact(name: "François Dupont – «Le Chef»", phones: ["+33 1 23 45 67 89"], emails: ["francois.dupont@example.fr"]),
                VCardContact(name: "Søren Øster", phones: ["+45 20 12 34 56"]),
            ])
        let juergen = cards[0]
        #expect(juergen.first(named: "NOTE")?.text == "Grüße aus Köln\r\nZweite Zeile")
        #expect(juergen.first(named: "ADR")?.components[2] == "Hauptstraße 5")
        #expect(juergen.properties.map(\.name).suffix(3) == ["PHOTO", "AGENT", "REV"], "the agent's card is skipped, the outer card read on")
        #expect(juergen.properties(named: "FN").count == 1)
    }

    @Test("vCard 4.0: UID URNs, TEL;VALUE=uri;TYPE=\"voice,cell\":tel:…, mailto:, no FN, ALTID names, LABEL with ^n")
    func v4() throws {
        let cards = try Fixture.v4.cards()
        #expect(
            cards.map(VCardContact.init) == [
                VCardContact(
                    uid: "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1", name: "Simon Perreault",
                    phones: ["+1-418-656-9254;ext=102", "+1-418-262-6501"], emails: ["simon.perreault@viagenie.ca"]),
                VCardContact(
                    uid: "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6", name: "Dr. John Philip,Paul Stevenson Jr.,M.D.,A.C.P.",
                    phones: ["+1-555-555-5555"], emails: ["jps@example.com", "john.stevenson@example.org"]),
                VCardContact(name: "山田 太郎", phones: ["090-1234-5678", "03-1234-5678"], emails: ["taro@example.jp"]),
            ])
        let tel = try #require(cards[0].first(named: "TEL"))
        #expect(tel.parameters == ["VALUE": ["uri"], "TYPE": ["work", "voice"], "PREF": ["1"]])
        #expect(cards[0].properties(named: "TEL")[1].types == ["work", "cell", "voice", "video", "text"])
        #expect(cards[1].first(named: "ADR")?.parameter("label") == ["100 Main St.\nSpringfield; IL: 62701"])
        #expect(cards[1].first(named: "PHOTO")?.escapedValue.hasSuffix("BAoTI05ldHNjYXBlIENvbW11bmljYXRpb25z") == true)
        #expect(cards[1].properties.last?.group == "item1")
    }

    @Test("every file reads the same with CRLF, LF or CR line ends", arguments: Fixture.allCases)
    func lineEnds(_ fixture: Fixture) throws {
        let original = try [UInt8](fixture.data())
        let lf = original.split(separator: UInt8(ascii: "\r"), omittingEmptySubsequences: false).joined().map { $0 }
        let crlf = Array(lf.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).joined(separator: [13, 10]))
        let cr = lf.map { $0 == UInt8(ascii: "\n") ? UInt8(ascii: "\r") : $0 }
        let expected = try fixture.cards()
        for variant in [lf, crlf, cr] {
            #expect(try VCardParser.parse(variant) == expected)
        }
    }
}
