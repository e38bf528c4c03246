import CardexCore
import Foundation
import Testing

/// Appending to and pruning many people's logs in one call (a card update's fan-out).
@Suite("Store contract: event batches")
struct EventBatchContractTests {
    /// Every event the person still has, oldest first.
    private static func kept(_ user: UserID, in store: any ContractStore) async throws -> [UserEvent] {
        try await store.read { try await $0.events(of: user, after: 0, limit: 1_000) }
    }

    @Test("a batch numbers each person's events on from their last, in the order given, a person named twice twice", arguments: Backend.allCases)
    func numbering(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let people = try await Fixture.accounts(3, in: store).map(\.userID)
            let (ada, bo, cy) = (people[0], people[1], people[2])
            _ = try await store.write { try await $0.appendEvent(.sharesWaiting(count: 0), to: ada, at: Fixture.t0) }
            let batch = [(ada, 1), (bo, 2), (ada, 3), (cy, 4), (bo, 5), (ada, 6)].map { NewEvent(.sharesWaiting(count: $1), to: $0) }
            let appended = try await store.write { try await $0.appendEvents(batch, at: Fixture.t0 + 60) }
            #expect(
                appended
                    == zip(batch, [2, 1, 3, 1, 2, 4]).map {
                        UserEvent(user: $0.user, seq: $1, createdAt: Fixture.t0 + 60, payload: $0.payload)
                    })
            // As stored: each person's events in the batch's order, after what they had.
            #expect(try await Self.kept(ada, in: store).map(\.payload) == [0, 1, 3, 6].map { .sharesWaiting(count: $0) })
            #expect(try await Self.kept(bo, in: store) == appended.filter { $0.user == bo })
            // An empty batch does nothing; the numbers continue after a batch.
            #expect(try await store.write { try await $0.appendEvents([], at: Fixture.t0) }.isEmpty)
            let next = try await store.write { try await $0.appendEvent(.sharesWaiting(count: 7), to: cy, at: Fixture.t0 + 120) }
            #expect(next.seq == 2)
            #expect(try await store.read { try await $0.lastEventSeq(of: ada) } == 4)
        }
    }

    @Test("one read returns the events of many people's ranges, by person and in order, and nothing outside them", arguments: Backend.allCases)
    func rangesOfManyPeople(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let people = try await Fixture.accounts(3, in: store).map(\.userID)
            let batch = (0..<12).map { NewEvent(.sharesWaiting(count: $0), to: people[$0 % 3]) }  // four each
            let appended = try await store.write { try await $0.appendEvents(batch, at: Fixture.t0) }
            let ranges = [
                EventRange(user: people[0], after: 1, through: 3), EventRange(user: people[1], after: 0, through: 1),
                EventRange(user: people[2], after: 4, through: 9),  // past the newest: nothing
            ]
            let read = try await store.read { try await $0.events(in: ranges) }
            let expected = appended.filter { event in ranges.contains { $0.user == event.user && event.seq > $0.after && event.seq <= $0.through } }
            #expect(read.count == 3)
            #expect(Set(read) == Set(expected))
            for person in people { #expect(read.filter { $0.user == person }.map(\.seq) == expected.filter { $0.user == person }.map(\.seq)) }
            #expect(try await store.read { try await $0.events(in: []) }.isEmpty)
        }
    }

    @Test("one prune cuts each person's log by number and by time; others' logs stay", arguments: Backend.allCases)
    func pruning(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let people = try await Fixture.accounts(3, in: store).map(\.userID)
            let (ada, bo, cy) = (people[0], people[1], people[2])
            try await store.write { transaction in
                for minute in 0..<5 {
                    _ = try await transaction.appendEvents(
                        [NewEvent(.sharesWaiting(count: minute), to: ada), NewEvent(.sharesWaiting(count: minute), to: cy)],
                        at: Fixture.t0 + Double(minute * 60))
                }
                for seconds in [0, 300, 600] {
                    _ = try await transaction.appendEvent(.sharesWaiting(count: seconds), to: bo, at: Fixture.t0 + Double(seconds))
                }
            }
            // Inside the window (from 150 s): Ada's 4 and 5, Bo's 2 and 3. By number: Ada's first 4.
            try await store.write { try await $0.pruneEvents(throughSeq: [ada: 4, bo: 0], before: Fixture.t0 + 150) }
            #expect(try await Self.kept(ada, in: store).map(\.seq) == [5])
            #expect(try await Self.kept(bo, in: store).map(\.seq) == [2, 3])
            #expect(try await Self.kept(cy, in: store).map(\.seq) == [1, 2, 3, 4, 5])
            try await store.write { try await $0.pruneEvents(throughSeq: [:], before: Fixture.t0 + 200) }
            #expect(try await Self.kept(cy, in: store).count == 5)
        }
    }

    @Test("concurrent batches over overlapping people, in different orders, keep every log gap-free", arguments: Backend.allCases)
    func concurrentBatches(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let people = try await Fixture.accounts(6, in: store).map(\.userID)
            // Batch k: four people from k on, in turns reversed or not, its first person twice.
            let batches = (0..<6).map { k in
                let some = (0..<4).map { people[(k + $0) % people.count] }
                let ordered = k.isMultiple(of: 2) ? some : some.reversed()
                return (ordered + [ordered[0]]).map { NewEvent(.sharesWaiting(count: k), to: $0) }
            }
            let appended = try await withThrowingTaskGroup(of: [UserEvent].self) { group in
                for batch in batches {
                    group.addTask { try await store.write { try await $0.appendEvents(batch, at: Fixture.t0) } }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            for person in people {
                let expected = batches.joined().filter { $0.user == person }.count
                #expect(appended.filter { $0.user == person }.map(\.seq).sorted() == Array(1...UInt64(expected)))
                #expect(try await Self.kept(person, in: store).map(\.seq) == Array(1...UInt64(expected)))
            }
        }
    }
}
