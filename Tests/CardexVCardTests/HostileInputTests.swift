import CardexVCard
import Foundation
import Testing

@Suite("Damaged and hostile input: a clear error or nothing read, never a crash")
struct HostileInputTests {
    @Test("a card never closed is an error naming the card and the line it begins on")
    func unclosedCard() throws {
        #expect(throws: VCardError.unclosedCard(card: 2, line: 4)) {
            try parse("BEGIN:VCARD", "FN:Ann", "END:VCARD", "BEGIN:VCARD", "FN:Bo", "TEL:1")
        }
        #expect(
            VCardError.unclosedCard(card: 2, line: 4).description
                == "vCard 2 (begun on line 4) has no END:VCARD: the file may be cut short; export it again")
        #expect(throws: VCardError.unclosedCard(card: 1, line: 1), "a nested card closed is not the outer card closed") {
            try parse("BEGIN:VCARD", "AGENT:", "BEGIN:VCARD", "END:VCARD")
        }
    }

    @Test("a content line past maxLineBytes, on one line or once unfolded, is an error naming its first line")
    func lineTooLong() throws {
        let limits = limits { $0.maxLineBytes = 64 }
        let long = String(repeating: "x", count: 61)
        #expect(try parse("BEGIN:VCARD", "FN:" + long, "END:VCARD", limits: limits).count == 1)
        #expect(throws: VCardError.lineTooLong(line: 2, limit: 64)) {
            try parse("BEGIN:VCARD", "FN:" + long + "x", "END:VCARD", limits: limits)
        }
        #expect(throws: VCardError.lineTooLong(line: 2, limit: 64)) {
            try parse("BEGIN:VCARD", "FN:" + long, " x", "END:VCARD", limits: limits)
        }
        #expect(throws: VCardError.lineTooLong(line: 2, limit: 64)) {
            let half = String(repeating: "=41", count: 10) + "="
            return try parse("BEGIN:VCARD", "NOTE;QUOTED-PRINTABLE:" + half, half, "END:VCARD", limits: limits)
        }
        #expect(throws: VCardError.lineTooLong(line: 2, limit: 64)) {
            let run = String(repeating: "A", count: 40)
            return try parse("BEGIN:VCARD", "PHOTO;BASE64:", run, run, "END:VCARD", limits: limits)
        }
    }

    @Test("more than maxPropertiesPerCard properties in a card is an error; nested cards' lines do not count")
    func tooManyProperties() throws {
        let limits = limits { $0.maxPropertiesPerCard = 3 }
        #expect(
            try parse(
                "BEGIN:VCARD", "FN:a", "AGENT:", "BEGIN:VCARD", "TEL:1", "TEL:2", "TEL:3", "END:VCARD", "TEL:4", "END:VCARD",
                limits: limits
            ).count == 1)
        #expect(throws: VCardError.tooManyProperties(card: 2, line: 4, limit: 3)) {
            try parse("BEGIN:VCARD", "FN:a", "END:VCARD", "BEGIN:VCARD", "TEL:1", "TEL:2", "TEL:3", "TEL:4", "END:VCARD", limits: limits)
        }
    }

    @Test("more than maxCards cards is an error")
    func tooManyCards() throws {
        let cards = Array(repeating: "BEGIN:VCARD\r\nFN:a\r\nEND:VCARD", count: 4).joined(separator: "\r\n")
        #expect(try parse(cards, limits: limits { $0.maxCards = 4 }).count == 4)
        #expect(throws: VCardError.tooManyCards(limit: 3)) { try parse(cards, limits: limits { $0.maxCards = 3 }) }
    }

    @Test("the defaults are as documented")
    func defaults() {
        #expect(VCardLimits.defaults == VCardLimits(maxLineBytes: 8 << 20, maxPropertiesPerCard: 1_000, maxCards: 100_000))
    }

    @Test("every prefix of a file either reads or is an unclosed card, fed byte by byte", arguments: Fixture.allCases)
    func everyPrefix(_ fixture: Fixture) async throws {
        let bytes = try [UInt8](fixture.data())
        let whole = try VCardParser.parse(bytes)
        for length in 0...bytes.count {
            // Seconds of parsing in all: let the other suites' tasks run between prefixes
            // rather than hold a thread of the process's small shared pool all along.
            await Task.yield()
            do {
                let cards = try VCardParser.parse(Array(bytes[..<length]))
                #expect(cards.count <= whole.count)
            } catch {
                guard case .unclosedCard = error else {
                    Issue.record("prefix of \(length) bytes: \(error)")
                    return
                }
            }
        }
    }

    @Test("random bytes, and random vCard-like text, never crash the parser")
    func randomInput() async {
        var random = SplitMix64(seed: 19)
        let pieces: [[UInt8]] = [
            "BEGIN:VCARD", "END:VCARD", "\r\n", "\n", "\r", " ", ":", ";", "=", "\"", ",", "\\", "^",
            "QUOTED-PRINTABLE", "ENCODING=b", "BASE64", "CHARSET=UTF-16", "TEL", "FN", "item1.", "=E5", "\u{FEFF}",
        ]
        .map { Array($0.utf8) }
        for round in 0..<400 {
            await Task.yield()  // as everyPrefix does
            var bytes: [UInt8] = []
            let count = Int.random(in: 0...600, using: &random)
            for _ in 0..<count {
                if round.isMultiple(of: 2), Bool.random(using: &random) {
                    bytes += pieces.randomElement(using: &random)!
                } else {
                    bytes.append(UInt8.random(in: 0...255, using: &random))
                }
            }
            let limits = VCardLimits(maxLineBytes: 256, maxPropertiesPerCard: 8, maxCards: 8)
            if let cards = try? VCardParser.parse(bytes, limits: limits) {
                #expect(cards.count <= 8 && cards.allSatisfy { $0.properties.count <= 8 })
                _ = cards.map(VCardContact.init)
                _ = VCardWriter.text(cards)
            }
        }
    }
}

/// A seeded generator (SplitMix64), so a failing input can be found again.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
