import CardexCore
import Testing

@testable import CardexSQLite

@Suite("The card cache")
struct CardCacheTests {
    @Test("keeps each person's card read last, and drops the people not read recently")
    func keepsRecentCards() throws {
        // An etag stands for one content; here the same etag is read with a second content, so an
        // answer with the first card shows it came from the cache.
        let cache = CardCache(capacity: 4)
        let (a, b, c, d, e) = (UserID.random(), UserID.random(), UserID.random(), UserID.random(), UserID.random())
        for person in [a, b, c] {
            _ = try cache.card(of: person, etag: "v1") { card("\(person) v1") }
        }
        #expect(try cache.card(of: a, etag: "v1") { card("changed") } == card("\(a) v1"))  // read again: kept
        for person in [d, e] {
            _ = try cache.card(of: person, etag: "v1") { card("\(person) v1") }
        }
        #expect(try cache.card(of: a, etag: "v1") { card("changed") } == card("\(a) v1"))
        #expect(try cache.card(of: e, etag: "v1") { card("changed") } == card("\(e) v1"))
        #expect(try cache.card(of: b, etag: "v1") { card("changed") } == card("changed"))  // not read since: dropped
    }

    @Test("holds one version per person: a new etag replaces the card, old versions take no room")
    func keepsOneVersionPerPerson() throws {
        let cache = CardCache(capacity: 4)
        let (a, b) = (UserID.random(), UserID.random())
        _ = try cache.card(of: a, etag: "v0") { card("a v0") }
        for version in 1...50 {
            #expect(try cache.card(of: b, etag: "v\(version)") { card("b v\(version)") } == card("b v\(version)"))
        }
        // Fifty versions of b's card later, a's card is still kept: b's old ones took no room.
        #expect(try cache.card(of: a, etag: "v0") { card("changed") } == card("a v0"))
        // An etag that is not the one kept is decoded from the content given.
        #expect(try cache.card(of: b, etag: "v1") { card("b again") } == card("b again"))
        #expect(try cache.card(of: b, etag: "v1") { card("changed") } == card("b again"))
    }

    private func card(_ name: String) -> Card { Card(fields: [CardField(kind: .name, value: name, audience: .everyone)]) }
}
