import CardexCore
import Foundation
import Testing

@Suite("Store contract: the address books' change log")
struct BookLogContractTests {
    private static func entry(_ id: String, _ name: String) -> BookEntry {
        BookEntry(clientEntryID: id, name: name, phones: [], numbers: [])
    }

    private static func write(
        _ store: any TransactionalStore, _ owner: UserID, upserts: [BookEntry] = [], removals: [String] = [], replace: Bool = false,
        keepingLog kept: Int = BookLog.keptEntries
    ) async throws {
        _ = try await store.write { transaction in
            try await transaction.applyBookChanges(
                of: owner, upserts: upserts, removals: removals, replace: replace, at: Fixture.t0, keepingLog: kept)
        }
    }

    /// The log after `position` as (id, revision, name or nil when removed).
    private static func log(
        _ store: any TransactionalStore, _ owner: UserID, after position: BookLogPosition = BookLogPosition(revision: 0), limit: Int = 100
    ) async throws -> [String] {
        try await store.read { try await $0.bookChanges(of: owner, after: position, limit: limit) }.map {
            "\($0.clientEntryID)@\($0.revision):\($0.entry?.name ?? "removed")"
        }
    }

    @Test("each write that changes a book is its next revision, logging each id it wrote once; others log nothing", arguments: Backend.allCases)
    func revisions(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let people = try await Fixture.accounts(2, in: store)
            let (ada, bo) = (people[0].userID, people[1].userID)
            #expect(try await store.read { try await $0.bookRevision(of: ada) } == BookRevision(latest: 0, horizon: 0))

            try await Self.write(store, ada, upserts: [Self.entry("a", "Al"), Self.entry("b", "Bea"), Self.entry("c", "Cy")])
            // Unchanged entries and unknown removals write nothing: no revision.
            try await Self.write(store, ada, upserts: [Self.entry("a", "Al")], removals: ["nope"])
            try await Self.write(store, ada, upserts: [Self.entry("b", "Bea B.")], removals: ["c"])
            try await store.write { try await $0.putBookEntry(Self.entry("d", "Dee"), of: ada, at: Fixture.t0) }
            try await Self.write(store, bo, upserts: [Self.entry("z", "Zed")])

            #expect(try await store.read { try await $0.bookRevision(of: ada) } == BookRevision(latest: 3, horizon: 0))
            #expect(try await Self.log(store, ada) == ["a@1:Al", "b@2:Bea B.", "c@2:removed", "d@3:Dee"])
            #expect(try await Self.log(store, ada, after: BookLogPosition(revision: 1)) == ["b@2:Bea B.", "c@2:removed", "d@3:Dee"])
            // A page that stopped after b goes on with c.
            #expect(try await Self.log(store, ada, after: BookLogPosition(revision: 2, entryID: "b")) == ["c@2:removed", "d@3:Dee"])
            #expect(try await Self.log(store, ada, after: BookLogPosition(revision: 3)) == [])
            #expect(try await Self.log(store, ada, limit: 2) == ["a@1:Al", "b@2:Bea B."])
            #expect(try await Self.log(store, bo) == ["z@1:Zed"])

            // An id written again moves to the new revision; a removed one added back is there again.
            try await Self.write(store, ada, upserts: [Self.entry("c", "Cy again"), Self.entry("e", "Eve")], replace: true)
            #expect(
                try await Self.log(store, ada, after: BookLogPosition(revision: 3)) == [
                    "a@4:removed", "b@4:removed", "c@4:Cy again", "d@4:removed", "e@4:Eve",
                ])
            #expect(try await store.read { try await $0.bookRevision(of: ada) } == BookRevision(latest: 4, horizon: 0))
        }
    }

    @Test("past the ids a write keeps, the oldest revisions are pruned whole and the horizon moves to the newest pruned", arguments: Backend.allCases)
    func pruning(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let ada = try await Fixture.accounts(1, in: store)[0].userID
            let kept = 40
            // Revision 1 logs 30 ids, revision 2 five more, revision 3 ten more: 5 over, so
            // revision 1 goes, whole.
            try await Self.write(store, ada, upserts: (0..<30).map { Self.entry("a\($0)", "") }, keepingLog: kept)
            try await Self.write(store, ada, upserts: (0..<5).map { Self.entry("b\($0)", "") }, keepingLog: kept)
            #expect(try await store.read { try await $0.bookRevision(of: ada) } == BookRevision(latest: 2, horizon: 0))
            // An id logged already is not counted again.
            try await Self.write(store, ada, upserts: (0..<30).map { Self.entry("a\($0)", "again") }, keepingLog: kept)
            #expect(try await store.read { try await $0.bookRevision(of: ada) } == BookRevision(latest: 3, horizon: 0))
            try await Self.write(store, ada, upserts: (0..<10).map { Self.entry("c\($0)", "") }, keepingLog: kept)

            #expect(try await store.read { try await $0.bookRevision(of: ada) } == BookRevision(latest: 4, horizon: 2))
            #expect(try await Self.log(store, ada).count == 40)
            // The count of logged ids went down with them: at 40, an id logged already prunes
            // nothing, and one more id prunes the oldest revision left.
            try await Self.write(store, ada, upserts: [Self.entry("c0", "changed")], keepingLog: kept)
            #expect(try await store.read { try await $0.bookRevision(of: ada) } == BookRevision(latest: 5, horizon: 2))
            try await store.write { try await $0.putBookEntry(Self.entry("e", ""), of: ada, at: Fixture.t0, keepingLog: kept) }
            #expect(try await store.read { try await $0.bookRevision(of: ada) } == BookRevision(latest: 6, horizon: 3))
            #expect(try await Self.log(store, ada) == (1..<10).map { "c\($0)@4:" } + ["c0@5:changed", "e@6:"])
        }
    }

    @Test("erasing an account takes its book log with it", arguments: Backend.allCases)
    func erasure(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let ada = try await Fixture.accounts(1, in: store)[0]
            try await Self.write(store, ada.userID, upserts: [Self.entry("a", "Al")], replace: false)
            try await Self.write(store, ada.userID, removals: ["a"])
            #expect(try await store.read { try await $0.bookRevision(of: ada.userID) } == BookRevision(latest: 2, horizon: 0))
            try await store.write { try await $0.eraseAccount(ada.userID, phones: [ada.phone]) }
            #expect(try await store.read { try await $0.bookRevision(of: ada.userID) } == BookRevision(latest: 0, horizon: 0))
            #expect(try await Self.log(store, ada.userID) == [])
        }
    }
}
