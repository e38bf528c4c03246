import CardexVCard
import Foundation
import Testing

@Suite("Files: byte order marks, UTF-16, text around cards, nested and stray BEGIN/END")
struct StructureTests {
    private let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë 山田\r\nTEL:+1 555\r\nEND:VCARD\r\n"
    private let expected = [VCardContact(name: "Zoë 山田", phones: ["+1 555"])]

    @Test("a UTF-8 byte order mark is dropped")
    func utf8ByteOrderMark() throws {
        #expect(try VCardParser.parse([0xEF, 0xBB, 0xBF] + Array(text.utf8)).map(VCardContact.init) == expected)
    }

    @Test("UTF-16 files, with a byte order mark or without, either byte order, are read")
    func utf16() throws {
        let units = Array(text.utf16)
        let bigEndian = units.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let littleEndian = units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        for bytes in [[0xFE, 0xFF] + bigEndian, [0xFF, 0xFE] + littleEndian, bigEndian, littleEndian] {
            #expect(try VCardParser.parse(bytes).map(VCardContact.init) == expected)
        }
        let labelled = "BEGIN:VCARD\r\nFN;CHARSET=UTF-16:Zoë\r\nEND:VCARD\r\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(try VCardContact(card(bytes: [0xFF, 0xFE] + labelled)).name == "Zoë", "the label describes the file, now UTF-8")
    }

    @Test("text outside cards, stray END:VCARD and other BEGIN/END blocks are skipped; BEGIN/END in any case")
    func outsideCards() throws {
        let cards = try parse(
            "Exported by Example Mail", "END:VCARD", "FN:not in a card", "BEGIN:VCALENDAR", "END:VCALENDAR",
            "begin:vcard", "FN:Ann", "BEGIN:X-THING", "END:X-THING", "End:VCard ", "trailing junk")
        #expect(cards == [VCard(properties: [VCardProperty(name: "FN", escapedValue: "Ann")])])
    }

    @Test("a card nested in a card (a 2.1 AGENT) is skipped, the outer card read on to its own END")
    func nestedCard() throws {
        let cards = try parse(
            "BEGIN:VCARD", "FN:Boss", "AGENT:", "BEGIN:VCARD", "FN:Agent", "AGENT:", "BEGIN:VCARD", "FN:Agent's agent",
            "END:VCARD", "TEL:1", "END:VCARD", "TEL:2", "END:VCARD", "BEGIN:VCARD", "FN:Next", "END:VCARD")
        #expect(cards.map(VCardContact.init) == [VCardContact(name: "Boss", phones: ["2"]), VCardContact(name: "Next")])
        #expect(cards[0].properties.map(\.name) == ["FN", "AGENT", "TEL"])
    }

    @Test("a 3.0 AGENT holds its card as one escaped text value")
    func agent30() throws {
        let boss = try card("FN:Boss", #"AGENT:BEGIN:VCARD\nFN:Agent\nTEL:1\nEND:VCARD\n"#, "TEL:2")
        #expect(VCardContact(boss) == VCardContact(name: "Boss", phones: ["2"]))
        #expect(boss.first(named: "AGENT")?.text == "BEGIN:VCARD\nFN:Agent\nTEL:1\nEND:VCARD\n")
    }

    @Test("empty data, and data without cards, hold no cards")
    func noCards() throws {
        #expect(try VCardParser.parse(Data()) == [])
        #expect(try VCardParser.parse(Data("just some text\nover: lines\n".utf8)) == [])
    }
}
