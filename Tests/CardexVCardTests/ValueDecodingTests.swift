import CardexVCard
import Foundation
import Testing

@Suite("Values: quoted-printable, charsets, escapes, structured values")
struct ValueDecodingTests {
    @Test("quoted-printable: =XX in either case is a byte, a = before anything else is kept")
    func quotedPrintable() throws {
        let note = try card("NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=E2=82=ac 5 = 5=3d=3D a=ZZ =")
        #expect(note.first(named: "NOTE")?.text == "€ 5 = 5== a=ZZ ")
    }

    @Test(
        "8-bit values are read in the charset they name",
        arguments: [
            ("UTF-8", [0x4D, 0xC3, 0xBC, 0x6C, 0x6C, 0x65, 0x72], "Müller"),
            ("utf8", [0xE5, 0xBC, 0xA0], "张"),
            ("ISO-8859-1", [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72], "Müller"),
            ("ISO-8859-1", [0x80, 0x20, 0x96, 0x20, 0x93, 0x61, 0x94], "€ – “a”"),
            ("windows-1252", [0x80, 0x9F], "€Ÿ"),
            ("ISO-8859-2", [0xB1, 0xE6], "ąć"),
            ("Windows-1251", [0xCF, 0xF0, 0xE8], "При"),
            ("SHIFT_JIS", [0x83, 0x5C, 0x83, 0x6A], "ソニ"),
            ("ISO-2022-JP", [0x1B, 0x24, 0x42, 0x46, 0x7C, 0x4B, 0x5C, 0x1B, 0x28, 0x42], "日本"),
            ("US-ASCII", [0x41, 0xE9], "Aé"),
            ("x-unknown", [0x41, 0xC3, 0xA9], "Aé"),
            ("windows-1250", [0x8A, 0xE8], "Šč"),
        ] as [(String, [UInt8], String)])
    func charsets(_ charset: String, _ value: [UInt8], _ text: String) throws {
        let bytes = Array("BEGIN:VCARD\r\nFN;CHARSET=\(charset):".utf8) + value + Array("\r\nEND:VCARD\r\n".utf8)
        #expect(try VCardContact(card(bytes: bytes)).name == text)
    }

    @Test("quoted-printable is undone before the charset is applied")
    func quotedPrintableThenCharset() throws {
        let latin = try card("N;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:M=FCller;J=FCrgen")
        #expect(latin.first(named: "N")?.components == ["Müller", "Jürgen"])
        let utf16 = try card("FN;CHARSET=UTF-16LE;ENCODING=QUOTED-PRINTABLE:=AC=20=41=00")
        #expect(utf16.first(named: "FN")?.text == "€A")
    }

    @Test("bytes invalid in the charset named, or UTF-8 by default, are read as windows-1252, then ISO-8859-1")
    func invalidBytesFallBack() throws {
        #expect(try VCardContact(card(bytes: rawBytes("BEGIN:VCARD\nFN:Zo\u{EB} \u{80}5\nEND:VCARD\n"))).name == "Zoë €5")
        #expect(try VCardContact(card(bytes: rawBytes("BEGIN:VCARD\nFN;CHARSET=UTF-8:Zo\u{EB}\nEND:VCARD\n"))).name == "Zoë")
        #expect(try VCardContact(card(bytes: rawBytes("BEGIN:VCARD\nFN:a\u{81}b\u{E9}\nEND:VCARD\n"))).name == "a\u{81}bé")
        #expect(try VCardContact(card(bytes: rawBytes("BEGIN:VCARD\nFN;CHARSET=SHIFT_JIS:\u{FF}\u{FF}\nEND:VCARD\n"))).name == "ÿÿ")
    }

    @Test(
        "text escapes: \\n \\N \\, \\; \\\\ \\: are undone, a backslash before anything else is kept",
        arguments: [
            (#"a\nb\Nc"#, "a\nb\nc"), (#"a\,b\;c\\d\:e"#, "a,b;c\\d:e"), (#"C:\path\to"#, #"C:\path\to"#),
            (#"end\"#, #"end\"#), (#"\\n"#, #"\n"#), ("a,b", "a,b"), ("\\\u{301}x", "\\\u{301}x"),
        ])
    func escapes(_ escaped: String, _ text: String) {
        #expect(VCardProperty(name: "NOTE", escapedValue: escaped).text == text)
    }

    @Test("structured values split at unescaped ; only, even before a combining mark")
    func components() {
        let name = VCardProperty(name: "N", escapedValue: #"O\;Brien;Se\,án\\;;;"#)
        #expect(name.components == ["O;Brien", "Se,án\\", "", "", ""])
        #expect(VCardProperty(name: "N", escapedValue: "a;\u{301}b").components == ["a", "\u{301}b"])
        #expect(VCardProperty(name: "N", escapedValue: "").components == [""])
    }

    @Test("a base64 value is kept as its text, whatever the charset says")
    func base64Kept() throws {
        let photo = try card("PHOTO;ENCODING=b;CHARSET=UTF-16;TYPE=PNG:iVBORw0KGgo=")
        #expect(photo.first(named: "PHOTO")?.escapedValue == "iVBORw0KGgo=")
    }
}
