import CardexCore
import CardexPostgres
import CardexPostgresTestSupport
import Foundation
import PostgresNIO
import Testing

/// What ``PostgresStore``'s isolation choices guarantee, shown with interleavings the store
/// contract (which runs on SQLite's single writer too) cannot force.
@Suite("PostgresStore: serializable writes, snapshot reads, on a real server")
struct PostgresStoreTests {
    private static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// Runs `body` with a store on a fresh database, its pool running.
    private static func withStore(_ body: (PostgresStore) async throws -> Void) async throws {
        try await TestPostgres.withFreshDatabase { configuration in
            try await TestPostgres.withPool(configuration) { pool in
                try await body(try await PostgresStore(pool: pool))
            }
        }
    }

    private static func account(_ index: Int) -> Account {
        Account(userID: .random(), phone: PhoneNumber(e164: "+1555000000\(index)"), createdAt: t0, settings: AccountSettings())
    }

    @Test("two writes that each check 'no unanswered share yet' then share cannot both pass")
    func checkThenInsertIsSerialized() async throws {
        try await Self.withStore { store in
            let ada = Self.account(0)
            let bo = Self.account(1)
            try await store.write { transaction in
                try await transaction.insertAccount(ada)
                try await transaction.insertAccount(bo)
            }
            // Both bodies count before either inserts (on their first attempt): under READ
            // COMMITTED or REPEATABLE READ both would insert.
            let bothCounted = Rendezvous(parties: 2)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in ["s1", "s2"] {
                    group.addTask {
                        let attempts = Counter()
                        try await store.write { transaction in
                            let count = try await transaction.unansweredShareCount(of: ada.userID)
                            if await attempts.next() == 1 {
                                await bothCounted.arrive()
                            }
                            guard count < 1 else { return }
                            try await transaction.insertShare(
                                StoredShare(
                                    id: id, owner: ada.userID, recipientUser: bo.userID, recipientPhone: nil, fields: .all, state: .delivered,
                                    createdAt: Self.t0, deliveredAt: Self.t0, entry: nil))
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.read { try await $0.unansweredShareCount(of: ada.userID) } == 1)
        }
    }

    @Test("a read body sees one snapshot: a write committed meanwhile stays invisible to it")
    func readIsOneSnapshot() async throws {
        try await Self.withStore { store in
            let ada = Self.account(0)
            let seen = try await store.read { transaction in
                let before = try await transaction.account(ada.userID)
                // Another connection commits while this transaction is open.
                try await store.pool.withConnection { connection in
                    try await connection.query(
                        """
                        INSERT INTO users (id, phone, created_at, cloud_address_book, auto_send_card, discoverable_by)
                        VALUES (\(ada.userID.rawValue), \(ada.phone.e164), \(Self.t0), true, true, 'contacts')
                        """, logger: TestPostgres.logger)
                }
                return (before, try await transaction.account(ada.userID))
            }
            #expect(seen.0 == nil && seen.1 == nil)
            #expect(try await store.read { try await $0.account(ada.userID) } != nil)
        }
    }

    @Test("a read body cannot write")
    func readIsReadOnly() async throws {
        try await Self.withStore { store in
            let error = await #expect(throws: (any Error).self) {
                try await store.read { transaction in
                    try await (transaction as? any WriteTransaction)?.insertAccount(Self.account(0))
                }
            }
            let failure = try #require(error as? StoreFailure)
            #expect(failure.kind == .failed)
            #expect(failure.description.hasPrefix("PostgreSQL: SQLSTATE 25006: "))  // read_only_sql_transaction
        }
    }

    @Test("PostgreSQL's failures come out as StoreFailure with the SQLSTATE and message but no values; a body's own errors unchanged")
    func failuresAreTranslated() async throws {
        try await Self.withStore { store in
            let ada = Self.account(0)
            try await store.write { try await $0.insertAccount(ada) }
            // A duplicate: the server's detail would quote the phone; the failure must not.
            let duplicate = await #expect(throws: StoreFailure.self) {
                try await store.write {
                    try await $0.insertAccount(
                        Account(
                            userID: .random(), phone: ada.phone, createdAt: Self.t0, settings: AccountSettings()))
                }
            }
            #expect(duplicate?.kind == .failed)
            #expect(duplicate?.description.hasPrefix("PostgreSQL: SQLSTATE 23505: duplicate key value violates unique constraint") == true)
            #expect(duplicate?.description.contains(ada.phone.e164) == false)
            // A rule's refusal inside a body passes through as it was thrown.
            await #expect(throws: CardexError.notFound("no such thing")) {
                try await store.write { _ in throw CardexError.notFound("no such thing") }
            }
        }
    }
}

/// Counts a body's attempts across retries.
private actor Counter {
    private var value = 0

    func next() -> Int {
        value += 1
        return value
    }
}
