import CardexCore
import CardexPostgres
import CardexPostgresTestSupport
import Foundation
import Testing

/// How ``PostgresStore`` appends a batch of events, beyond what the store contract shows: the
/// lock order that keeps concurrent fan-outs from deadlocking.
@Suite("PostgresStore: event batches on a real server")
struct PostgresEventBatchTests {
    private static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("concurrent batches over overlapping people, in any order and size, conflict but never deadlock")
    func noDeadlock() async throws {
        try await TestPostgres.withFreshDatabase { configuration in
            try await TestPostgres.withPool(configuration) { pool in
                // One attempt each, so every conflict reaches the test as the server reported it.
                let store = try await PostgresStore(pool: pool, retryPolicy: PostgresRetryPolicy(maxAttempts: 1))
                let people = (0..<40).map {
                    Account(userID: .random(), phone: PhoneNumber(e164: "+1555100" + String(format: "%04d", $0)), createdAt: Self.t0, settings: AccountSettings())
                }
                try await store.write { transaction in
                    for person in people { try await transaction.insertAccount(person) }
                }
                // The SQLSTATE of each write that failed ("none" for an error not from the server).
                var failures: [String] = []
                for round in 0..<10 {
                    // Random subsets of different sizes, so no order the server might pick for a
                    // set (a hash table's) is shared by all.
                    let batches = (0..<4).map { _ in
                        people.shuffled().prefix(Int.random(in: 5...40)).map { NewEvent(.sharesWaiting(count: round), to: $0.userID) }
                    }
                    failures += await withTaskGroup(of: String?.self) { group in
                        for batch in batches {
                            group.addTask {
                                do {
                                    _ = try await store.write { try await $0.appendEvents(batch, at: Self.t0) }
                                    return nil
                                } catch {
                                    return PostgresSQLState(of: error)?.code ?? "none"
                                }
                            }
                        }
                        return await group.reduce(into: []) { if let failure = $1 { $0.append(failure) } }
                    }
                }
                // A batch that waited for another's counter rows fails with a serialization failure
                // (and is retried in service); one holding rows another waits for would deadlock.
                #expect(failures.allSatisfy { $0 == PostgresSQLState.serializationFailure.code }, "\(failures)")
            }
        }
    }
}
