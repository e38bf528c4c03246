import CardexCore
import Foundation
import Testing

@testable import CardexStorage

@Suite("Cards stored as cardex.storage.v1.Card bytes")
struct StoredCardCodecTests {
    static let audiences: [Audience] = [
        .everyone, .contacts, .onlyMe, .groups([]), .groups(["g1", "gruppe-ä", "组"]), .people([]),
        .people([UserID(rawValue: "1b4e28ba-2fa1-11d2-883f-0016d3cca427"), UserID(rawValue: "ümlaut-id")]),
    ]

    @Test("every kind with every audience comes back as it was, non-ASCII and empty text included", arguments: FieldKind.allCases)
    func roundTrip(_ kind: FieldKind) throws {
        let fields =
            Self.audiences.map { CardField(kind: kind, label: "wörk 🙂", value: "Tab\tNew\nline é 中文 \u{0}", audience: $0) }
            + [CardField(kind: kind, label: "", value: "", audience: .everyone)]
        let card = Card(fields: fields)
        #expect(try StoredCardCodec.decode(StoredCardCodec.encode(card)) == card)
        #expect(try StoredCardCodec.decode([UInt8](StoredCardCodec.encode(card))) == card)
    }

    @Test("a card without fields is stored as no bytes, and read back")
    func emptyCard() throws {
        #expect(StoredCardCodec.encode(Card()).isEmpty)
        #expect(try StoredCardCodec.decode(Data()) == Card())
    }

    @Test("equal cards give equal bytes whatever order their sets iterate in, ids sorted by UTF-8")
    func deterministic() throws {
        let ids = (0..<40).map { "id-\($0)" } + ["Z", "a", "é", "e\u{301}x", "🙂"]
        var small = Set<String>()
        for id in ids { small.insert(id) }
        var large = Set<String>(minimumCapacity: 4096)
        for id in ids.reversed() { large.insert(id) }
        try #require(small == large)
        try #require(Array(small) != Array(large), "the two sets should iterate in different orders for this test to show anything")
        let people = { (set: Set<String>) in Audience.people(Set(set.map(UserID.init(rawValue:)))) }
        let a = Card(fields: [CardField(kind: .name, value: "Ada", audience: .groups(small)), CardField(kind: .note, value: "n", audience: people(small))])
        let b = Card(fields: [CardField(kind: .name, value: "Ada", audience: .groups(large)), CardField(kind: .note, value: "n", audience: people(large))])
        #expect(StoredCardCodec.encode(a) == StoredCardCodec.encode(b))

        let stored = try Cardex_Storage_V1_Card(serializedBytes: StoredCardCodec.encode(a))
        let utf8Order = ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        #expect(stored.fields[0].groups.ids == utf8Order)
        #expect(stored.fields[1].people.userIds == utf8Order)
    }

    static let notCards: [(String, [UInt8])] = [
        ("JSON, as cards were stored before", Array(#"{"fields":[{"audience":{"everyone":{}},"kind":"name","label":"","value":"Ada"}]}"#.utf8)),
        ("a field number 0", [0x00]),
        ("a length past the end", [0x0A, 0x7F, 0x08]),
        ("a truncated varint", [0x08, 0xFF]),
        ("a field that is not a message", [0x0A, 0x02, 0xFF, 0xFF]),
    ]

    @Test("bytes that are not protobuf of a card are refused as malformed", arguments: notCards)
    func malformed(_ what: String, _ bytes: [UInt8]) {
        #expect {
            try StoredCardCodec.decode(bytes)
        } throws: { error in
            guard case StoredCardError.malformed = error else { return false }
            return "\(error)".contains("not a cardex.storage.v1.Card")
        }
    }

    @Test("a kind this server does not know, or none, is an error naming the field, not a default")
    func unknownKind() {
        for kind in [Cardex_Storage_V1_FieldKind.UNRECOGNIZED(99), .unspecified] {
            var message = Self.message
            message.fields[1].kind = kind
            #expect(throws: StoredCardError.unknownKind(field: 1, value: kind.rawValue)) {
                try StoredCardCodec.decode(message.serializedBytes() as Data)
            }
        }
    }

    @Test("a field without an audience is refused")
    func missingAudience() {
        var message = Self.message
        message.fields[0].audience = nil
        #expect(throws: StoredCardError.missingAudience(field: 0)) { try StoredCardCodec.decode(message.serializedBytes() as Data) }
    }

    @Test("data this server's schema does not have (a newer field or audience case) is refused, not dropped")
    func unknownContent() throws {
        let card: Data = try Self.message.serializedBytes()
        // Field 9, varint 1, at the top level.
        #expect(throws: StoredCardError.unknownContent(field: nil)) { try StoredCardCodec.decode(card + [0x48, 0x01]) }
        // In field 0: field 9, varint 1.
        var field: Data = try Self.message.fields[0].serializedBytes()
        field += [0x48, 0x01]
        #expect(throws: StoredCardError.unknownContent(field: 0)) { try StoredCardCodec.decode(Data([0x0A, UInt8(field.count)]) + field) }
        // Everyone, holding a field 1 (varint 1), in field 0.
        let withGrownAudience: [UInt8] = [0x08, 0x01, 0x1A, 0x01, 0x41, 0x22, 0x02, 0x08, 0x01]
        #expect(throws: StoredCardError.unknownContent(field: 0)) {
            try StoredCardCodec.decode([0x0A, UInt8(withGrownAudience.count)] + withGrownAudience)
        }
        // An audience case 9 (an empty message) in field 0, instead of one it knows.
        let withNewAudience: [UInt8] = [0x08, 0x01, 0x1A, 0x01, 0x41, 0x4A, 0x00]
        #expect(throws: StoredCardError.unknownContent(field: 0)) {
            try StoredCardCodec.decode([0x0A, UInt8(withNewAudience.count)] + withNewAudience)
        }
    }

    /// Two valid fields.
    static var message: Cardex_Storage_V1_Card {
        .with {
            $0.fields = [
                .with {
                    $0.kind = .name
                    $0.value = "Ada"
                    $0.everyone = .init()
                },
                .with {
                    $0.kind = .phone
                    $0.label = "mobile"
                    $0.value = "+15550001111"
                    $0.contacts = .init()
                },
            ]
        }
    }
}
