import CardexVCard
import Testing

@Suite("Parameters and groups")
struct ParameterTests {
    @Test(
        "TYPE lists read the same however they are written",
        arguments: [
            "TEL;TYPE=cell,voice:1", "TEL;TYPE=\"cell,voice\":1", "TEL;TYPE=cell;TYPE=voice:1", "tel;type=CELL;type=VOICE:1",
            "TEL;CELL;VOICE:1", "TEL;TYPE=cell, voice:1", "TEL;TYPE=\"cell\",\"voice\":1",
        ])
    func typeForms(_ line: String) throws {
        let tel = try #require(try card(line).first(named: "TEL"))
        #expect(tel.types == ["cell", "voice"])
        #expect(tel.text == "1")
    }

    @Test("2.1 parameters without a name are filed under the one they stand for")
    func bareParameters() throws {
        let photo = try #require(try card("PHOTO;JPEG;URL:http://example.com/a.jpg").first(named: "PHOTO"))
        #expect(photo.parameters == ["TYPE": ["JPEG"], "VALUE": ["URL"]])
        let note = try #require(try card("NOTE;QUOTED-PRINTABLE;CHARSET=UTF-8;8BIT:a=3Db").first(named: "NOTE"))
        #expect(note.parameters == ["ENCODING": ["8BIT"]], "the applied encoding and charset are dropped")
        #expect(note.text == "a=b")
    }

    @Test("a quoted parameter value may hold : ; and , and RFC 6868 ^ escapes")
    func quotedValues() throws {
        let line = #"ADR;LABEL="1 Main St.^nSpringfield; IL: ^'Home^' ^^, ok";TYPE=home:;;1 Main St."#
        let adr = try #require(try card(line).first(named: "ADR"))
        #expect(adr.parameter("LABEL") == ["1 Main St.\nSpringfield; IL: \"Home\" ^, ok"])
        #expect(adr.types == ["home"])
        #expect(adr.components == ["", "", "1 Main St."])
    }

    @Test("groups are kept as written, names and parameter names upper-cased, parameter values as written")
    func groupsAndCase() throws {
        let email = try #require(try card("item1.email;Type=Work;x-Label=Büro:ann@example.com").properties.first)
        #expect(email.group == "item1")
        #expect(email.name == "EMAIL")
        #expect(email.parameters == ["TYPE": ["Work"], "X-LABEL": ["Büro"]])
        #expect(email.types == ["work"])
    }

    @Test("Android's X-CUSTOM(…) labels do not confuse the value's encoding")
    func androidCustomLabel() throws {
        let tel = try #require(try card("TEL;X-CUSTOM(CHARSET=UTF-8,ENCODING=QUOTED-PRINTABLE,=E5=B7=A5):+1 202=3D").first(named: "TEL"))
        #expect(tel.text == "+1 202=3D")
    }

    @Test(
        "lines that are not properties are skipped",
        arguments: [
            "no colon here", ":no name", "bad name:x", "na\u{E9}me:x", "bad group.TEL:1", ";TYPE=cell:1",
        ])
    func notProperties(_ line: String) throws {
        #expect(try card("FN:Ann", line).properties.map(\.name) == ["FN"])
    }
}
