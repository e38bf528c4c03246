import CardexPostgres
import CardexPostgresTestSupport
import PostgresNIO
import Testing

@Suite("PostgresConnectionPool: retrying transactions that conflict, on a real server")
struct PostgresRetryTests {
    /// Two SERIALIZABLE transactions each count the rows of `t` and insert the count, both
    /// counting before either inserts (write skew): PostgreSQL fails one with SQLSTATE 40001.
    /// Returns each transaction's attempts, or its error, and the values in `t` afterwards.
    static func writeSkew(policy: PostgresRetryPolicy) async throws -> (outcomes: [Result<Int, any Error>], values: [Int]) {
        try await TestPostgres.withFreshDatabase { configuration in
            try await TestPostgres.withPool(configuration) { pool in
                try await pool.withConnection { try await $0.query("CREATE TABLE t (x BIGINT)", logger: TestPostgres.logger) }
                let bothCounted = Rendezvous(parties: 2)
                let outcomes = await withTaskGroup(of: Result<Int, any Error>.self, returning: [Result<Int, any Error>].self) { group in
                    for _ in 0..<2 {
                        group.addTask {
                            var attempts = 0
                            do {
                                try await pool.withRetryingTransaction(.serializable, retry: policy) { connection in
                                    attempts += 1
                                    let count =
                                        try await connection.query("SELECT count(*) FROM t", logger: TestPostgres.logger)
                                        .decode(Int.self).first { _ in true } ?? -1
                                    if attempts == 1 {
                                        await bothCounted.arrive()
                                    }
                                    try await connection.query("INSERT INTO t VALUES (\(count))", logger: TestPostgres.logger)
                                }
                                return .success(attempts)
                            } catch {
                                return .failure(error)
                            }
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                let values = try await pool.withConnection { connection in
                    var values: [Int] = []
                    for try await value in try await connection.query("SELECT x FROM t ORDER BY x", logger: TestPostgres.logger).decode(Int.self) {
                        values.append(value)
                    }
                    return values
                }
                return (outcomes, values)
            }
        }
    }

    @Test("a real serialization failure between two SERIALIZABLE transactions is retried and the retry succeeds")
    func serializationFailureRetried() async throws {
        // Generous, so that a loaded machine, where the retry may meet the first transaction still
        // open several times, does not run out of attempts.
        let (outcomes, values) = try await Self.writeSkew(
            policy: .init(maxAttempts: 10, baseDelay: PostgresRetryPolicy.defaults.baseDelay, maxDelay: .milliseconds(200)))
        let attempts = try outcomes.map { try $0.get() }.sorted()
        // One commits at once; the other is retried, more than once if its retry starts before
        // the first has committed and so conflicts with it again.
        #expect(attempts.first == 1)
        #expect(attempts.last.map { $0 >= 2 } == true)
        // As if one ran after the other: the second counted the first's row.
        #expect(values == [0, 1])
    }

    @Test("without retries the same transactions fail with SQLSTATE 40001")
    func serializationFailureWithoutRetry() async throws {
        let (outcomes, values) = try await Self.writeSkew(policy: .attempts(1))
        let failures = outcomes.compactMap { outcome -> (any Error)? in
            if case .failure(let error) = outcome { error } else { nil }
        }
        #expect(failures.count == 1)
        #expect(failures.first.flatMap { PostgresSQLState(of: $0) } == .serializationFailure)
        #expect(values == [0])
    }

    @Test("a serialization failure or deadlock is retried until the transaction passes", arguments: ["serialization_failure", "deadlock_detected"])
    func conflictsRetried(condition: String) async throws {
        let configuration = try await TestPostgres.configuration(limits: .with { $0.maxConnections = 1 })
        try await TestPostgres.withPool(configuration) { pool in
            var attempts = 0
            let answer = try await pool.withRetryingTransaction { connection in
                attempts += 1
                if attempts < 3 {
                    try await Self.raise(condition, connection)
                }
                return "passed"
            }
            #expect(answer == "passed")
            #expect(attempts == 3)
        }
    }

    @Test("retrying stops after maxAttempts and throws the last conflict")
    func boundedAttempts() async throws {
        let configuration = try await TestPostgres.configuration(limits: .with { $0.maxConnections = 1 })
        try await TestPostgres.withPool(configuration) { pool in
            var attempts = 0
            let error = await #expect(throws: PSQLError.self) {
                try await pool.withRetryingTransaction(retry: .attempts(3)) { connection in
                    attempts += 1
                    try await Self.raise("serialization_failure", connection)
                }
            }
            #expect(attempts == 3)
            #expect(error.flatMap { PostgresSQLState(of: $0) } == .serializationFailure)
        }
    }

    @Test("an error that is not a conflict is not retried")
    func otherErrorsNotRetried() async throws {
        let configuration = try await TestPostgres.configuration(limits: .with { $0.maxConnections = 1 })
        try await TestPostgres.withPool(configuration) { pool in
            var attempts = 0
            let error = await #expect(throws: PSQLError.self) {
                try await pool.withRetryingTransaction { connection in
                    attempts += 1
                    try await Self.raise("unique_violation", connection)
                }
            }
            #expect(attempts == 1)
            #expect(error.flatMap { PostgresSQLState(of: $0) } == .uniqueViolation)
        }
    }

    /// Makes the server fail the statement with the named condition (a real server error).
    static func raise(_ condition: String, _ connection: PostgresConnection) async throws {
        try await connection.query(
            PostgresQuery(unsafeSQL: "DO $$ BEGIN RAISE EXCEPTION 'test' USING ERRCODE = '\(condition)'; END $$"),
            logger: TestPostgres.logger)
    }
}

extension PostgresRetryPolicy {
    /// The default pauses, with `count` attempts in all.
    fileprivate static func attempts(_ count: Int) -> PostgresRetryPolicy {
        var policy = PostgresRetryPolicy.defaults
        policy.maxAttempts = count
        return policy
    }
}
