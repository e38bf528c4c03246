import CardexCore
import Testing

/// A book edit's changes in order: the last change to an id wins.
@Suite("Book edits")
struct BookEditTests {
    func entry(_ id: String, _ name: String = "x") -> BookEntry {
        BookEntry(clientEntryID: id, name: name, phones: [], emails: [])
    }

    @Test("message after message, a later change to an id replaces an earlier one")
    func laterChangeWins() {
        var edit = BookEdit()
        edit.apply(upserts: [entry("n1"), entry("n3"), entry("n4")], removals: ["n5"])
        edit.apply(upserts: [entry("n2"), entry("n5", "back")], removals: ["n3"])
        edit.apply(upserts: [entry("n1", "renamed")], removals: [])

        #expect(edit.upserts.map(\.clientEntryID) == ["n1", "n4", "n5", "n2"])
        #expect(edit.upserts.first?.name == "renamed")
        #expect(edit.removals == ["n3"])
        #expect(edit.upsertCount == 4 && edit.removalCount == 1)
    }

    @Test("within one message, upserts come first: an id upserted and removed is removed")
    func removalAfterUpsertInOneMessage() {
        let edit = BookEdit(upserts: [entry("a"), entry("b")], removals: ["a"])

        #expect(edit.upserts.map(\.clientEntryID) == ["b"])
        #expect(edit.removals == ["a"])
    }
}
