import CardexCore
import Testing

/// Card content tags: the encoding ETag's documentation states, and what changes them.
@Suite("ETag")
struct ETagTests {
    static let ada = CardField(kind: .name, value: "Ada", audience: .groups(["g2", "g1"]))

    @Test("tags are the first 128 bits of SHA-256 over the documented encoding, as lowercase hex")
    func knownValues() {
        // Python: sha256(pack('<I', n) + for each field: lp(kind) lp(label) lp(value) [pack('<I', parts) lp(part)…]),
        // lp(s) = pack('<I', len(s.utf8)) + s.utf8; the audience's group set sorted.
        #expect(ETag.ofView([]) == "df3f619804a92fdb4057192dc43dd748")
        #expect(ETag.ofView([Self.ada]) == "17242fd636bdebb1911423b41fcc826a")
        #expect(ETag.ofCard(Card(fields: [Self.ada])) == "14d39126b701257432d233321b3b1a9c")
    }

    @Test("the length prefixes keep different fields apart however their text runs together")
    func unambiguous() {
        let a = [CardField(kind: .note, label: "ab", value: "c", audience: .everyone)]
        let b = [CardField(kind: .note, label: "a", value: "bc", audience: .everyone)]
        #expect(ETag.ofView(a) != ETag.ofView(b))
        let one = [CardField(kind: .note, value: "x", audience: .everyone)]
        #expect(ETag.ofView(one) != ETag.ofView(one + one))
    }

    @Test("a field's order, kind, label or value changes the tag")
    func contentChanges() {
        let name = CardField(kind: .name, value: "Ada", audience: .everyone)
        let mail = CardField(kind: .email, value: "ada@example.com", audience: .everyone)
        let base = ETag.ofView([name, mail])
        #expect(ETag.ofView([mail, name]) != base)
        #expect(ETag.ofView([CardField(kind: .note, value: "Ada", audience: .everyone), mail]) != base)
        #expect(ETag.ofView([CardField(kind: .name, label: "nick", value: "Ada", audience: .everyone), mail]) != base)
        #expect(ETag.ofView([name, CardField(kind: .email, value: "ada@example.org", audience: .everyone)]) != base)
    }

    @Test("the owner's tag tells every audience apart; people and groups by their members")
    func audiences() {
        let a = UserID.random()
        let b = UserID.random()
        let audiences: [Audience] = [.everyone, .contacts, .onlyMe, .groups(["g1"]), .groups(["g2"]), .people([a]), .people([a, b])]
        let tags = audiences.map { ETag.ofCard(Card(fields: [CardField(kind: .name, value: "Ada", audience: $0)])) }
        #expect(Set(tags).count == audiences.count)
    }

    @Test("a view's etag ignores audiences; the owner's does not")
    func etags() {
        let a = [CardField(kind: .name, value: "Ada", audience: .everyone)]
        let b = [CardField(kind: .name, value: "Ada", audience: .contacts)]
        #expect(ETag.ofView(a) == ETag.ofView(b))
        #expect(ETag.ofCard(Card(fields: a)) != ETag.ofCard(Card(fields: b)))
        #expect(ETag.ofView(a) != ETag.ofView([CardField(kind: .name, value: "Ada L", audience: .everyone)]))
    }
}
