import CardexCore
@testable import CardexSQLite
import Foundation
import Testing

@Suite("Stored cards read without JSONDecoder")
struct CardJSONTests {
    static let cards: [Card] = [
        Card(fields: []),
        Card(fields: [
            CardField(kind: .name, value: "Ada", audience: .everyone),
            CardField(kind: .phone, label: "mobile", value: "+15550001111", audience: .contacts),
            CardField(kind: .note, value: "private", audience: .onlyMe),
        ]),
        Card(fields: [
            CardField(kind: .email, label: "wo\"rk\\", value: "Tab\tNew\nline \u{1} é 🙂 /", audience: .groups(["g1", "g\"2"])),
            CardField(kind: .url, value: "https://example.com/ä", audience: .people([UserID(rawValue: "a"), UserID(rawValue: "b")])),
            CardField(kind: .address, value: "", audience: .groups([])),
        ]),
    ]

    @Test("reads what JSONEncoder wrote, as JSONDecoder does", arguments: cards)
    func agreesWithJSONDecoder(_ card: Card) throws {
        let stored = String(decoding: try CardRecord.databaseJSONEncoder(for: "content").encode(card), as: UTF8.self)
        #expect(CardJSON.card(from: stored) == card)
        #expect(try CardRecord.databaseJSONDecoder(for: "content").decode(Card.self, from: Data(stored.utf8)) == card)
    }

    @Test("escapes JSONEncoder does not write, such as \\u and surrogate pairs, decode the same")
    func otherEscapes() {
        let text = #"{"fields":[{"audience":{"everyone":{}},"kind":"name","label":"\u00e9\/","value":"\ud83d\ude42 \b\f\r"}]}"#
        #expect(CardJSON.card(from: text) == Card(fields: [CardField(kind: .name, label: "é/", value: "🙂 \u{8}\u{c}\r", audience: .everyone)]))
    }

    @Test("anything else is left to JSONDecoder", arguments: [
        "", "{", #"{"fields":[]} x"#, #"{"fields":1}"#, #"{"fields":[],"extra":"1"}"#,
        #"{"fields":[{"audience":{"everyone":{}},"kind":"nope","label":"","value":"v"}]}"#,
        #"{"fields":[{"audience":{"everyone":{}},"kind":"name","value":"v"}]}"#,
        #"{"fields":[{"audience":{"groups":{"_0":[1]}},"kind":"name","label":"","value":"v"}]}"#,
        #"{"fields":[{"audience":{"everyone":{},"contacts":{}},"kind":"name","label":"","value":"v"}]}"#,
        #"{"fields":[{"audience":{"everyone":{}},"kind":"name","label":"","value":"\ud83d"}]}"#,
        "{\"fields\":[{\"audience\":{\"everyone\":{}},\"kind\":\"name\",\"label\":\"\",\"value\":\"a\u{1}\"}]}",
    ])
    func rejects(_ text: String) {
        #expect(CardJSON.card(from: text) == nil)
    }

    @Test("the card cache keeps each person's card read last, and drops the people not read recently")
    func cacheKeepsRecentCards() throws {
        // An etag stands for one content; here the same etag is read with a second content, so an
        // answer with the first card shows it came from the cache.
        let cache = CardCache(capacity: 4)
        let (a, b, c, d, e) = (UserID.random(), UserID.random(), UserID.random(), UserID.random(), UserID.random())
        for person in [a, b, c] {
            _ = try cache.card(of: person, etag: "v1", content: content("\(person) v1"))
        }
        #expect(try cache.card(of: a, etag: "v1", content: content("changed")) == card("\(a) v1"))  // read again: kept
        for person in [d, e] {
            _ = try cache.card(of: person, etag: "v1", content: content("\(person) v1"))
        }
        #expect(try cache.card(of: a, etag: "v1", content: content("changed")) == card("\(a) v1"))
        #expect(try cache.card(of: e, etag: "v1", content: content("changed")) == card("\(e) v1"))
        #expect(try cache.card(of: b, etag: "v1", content: content("changed")) == card("changed"))  // not read since: dropped
    }

    @Test("the card cache holds one version per person: a new etag replaces the card, old versions take no room")
    func cacheKeepsOneVersionPerPerson() throws {
        let cache = CardCache(capacity: 4)
        let (a, b) = (UserID.random(), UserID.random())
        _ = try cache.card(of: a, etag: "v0", content: content("a v0"))
        for version in 1...50 {
            #expect(try cache.card(of: b, etag: "v\(version)", content: content("b v\(version)")) == card("b v\(version)"))
        }
        // Fifty versions of b's card later, a's card is still kept: b's old ones took no room.
        #expect(try cache.card(of: a, etag: "v0", content: content("changed")) == card("a v0"))
        // An etag that is not the one kept is decoded from the content given.
        #expect(try cache.card(of: b, etag: "v1", content: content("b again")) == card("b again"))
        #expect(try cache.card(of: b, etag: "v1", content: content("changed")) == card("b again"))
    }

    private func card(_ name: String) -> Card { Card(fields: [CardField(kind: .name, value: name, audience: .everyone)]) }

    private func content(_ name: String) throws -> String {
        String(decoding: try CardRecord.databaseJSONEncoder(for: "content").encode(card(name)), as: UTF8.self)
    }
}
