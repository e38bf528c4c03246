import CardexCore
import CardexPostgres
import CardexPostgresTestSupport
import Foundation
import PostgresNIO
import Testing

/// How ``PostgresStore`` appends a batch of events, beyond what the store contract shows: the
/// order it locks counter rows in, which keeps concurrent fan-outs from deadlocking.
@Suite("PostgresStore: event batches on a real server")
struct PostgresEventBatchTests {
    private static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// Returns once some transaction on the database waits for a lock.
    private static func untilOneWaits(_ pool: PostgresConnectionPool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let waiting = try await pool.withConnection { connection in
                try await connection.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
                    logger: TestPostgres.logger
                ).collect().first?.decode(Int.self) ?? 0
            }
            if waiting > 0 { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("no transaction came to wait for a lock within 10 s")
    }

    @Test("a batch takes its people's counter rows in user-id order: waiting for the first, it holds none of the others")
    func locksInUserIDOrder() async throws {
        try await TestPostgres.withFreshDatabase { configuration in
            try await TestPostgres.withPool(configuration) { pool in
                let store = try await PostgresStore(pool: pool)
                let accounts = (0..<100).map {
                    Account(
                        userID: .random(), phone: PhoneNumber(e164: "+1555100" + String(format: "%04d", $0)), createdAt: Self.t0, settings: AccountSettings())
                }
                let people = accounts.map(\.userID)
                try await store.write { transaction in
                    for account in accounts { try await transaction.insertAccount(account) }
                    _ = try await transaction.appendEvents(people.map { NewEvent(.sharesWaiting(count: 0), to: $0) }, at: Self.t0)
                }
                let first = people.map(\.rawValue).min()!
                let others = people.map(\.rawValue).filter { $0 != first }
                try await pool.withConnection { holder in
                    // Another transaction holds the first person's counter row.
                    try await holder.query("BEGIN", logger: TestPostgres.logger)
                    try await holder.query("SELECT 1 FROM event_counters WHERE user_id = \(first) FOR UPDATE", logger: TestPostgres.logger)
                    let batch = Task {
                        try await store.write { try await $0.appendEvents(people.shuffled().map { NewEvent(.sharesWaiting(count: 1), to: $0) }, at: Self.t0) }
                    }
                    try await Self.untilOneWaits(pool)
                    // Any of the others' rows the waiting batch held would make this fail (55P03).
                    do {
                        let locked = try await pool.withConnection { connection in
                            try await connection.query(
                                "SELECT user_id FROM event_counters WHERE user_id = ANY(\(others)) FOR UPDATE NOWAIT", logger: TestPostgres.logger
                            ).collect().count
                        }
                        #expect(locked == others.count)
                    } catch {
                        Issue.record("another person's counter row is locked: \(PostgresSQLState(of: error)?.code ?? "\(error)")")
                    }
                    try await holder.query("ROLLBACK", logger: TestPostgres.logger)
                    #expect(try await batch.value.allSatisfy { $0.seq == 2 })
                }
            }
        }
    }
}
