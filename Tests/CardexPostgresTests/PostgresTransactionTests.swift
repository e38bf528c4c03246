import CardexPostgres
import CardexPostgresTestSupport
import PostgresNIO
import Testing

@Suite("PostgresConnectionPool: transactions on a real server")
struct PostgresTransactionTests {
    struct Refused: Error, Equatable {}

    @Test("a transaction whose body throws rolls back, and the body's error comes out unchanged")
    func rollback() async throws {
        try await TestPostgres.withFreshDatabase { configuration in
            try await TestPostgres.withPool(configuration) { pool in
                try await pool.withConnection { try await $0.query("CREATE TABLE t (x BIGINT)", logger: TestPostgres.logger) }
                await #expect(throws: Refused()) {
                    try await pool.withTransaction { connection in
                        try await connection.query("INSERT INTO t VALUES (1)", logger: TestPostgres.logger)
                        throw Refused()
                    }
                }
                try await pool.withTransaction { connection in
                    try await connection.query("INSERT INTO t VALUES (2)", logger: TestPostgres.logger)
                }
                #expect(try await Self.values(pool) == [2])
            }
        }
    }

    @Test("a body that catches a failed statement and returns gets an error, and nothing is written")
    func caughtFailure() async throws {
        try await TestPostgres.withFreshDatabase { configuration in
            try await TestPostgres.withPool(configuration) { pool in
                try await pool.withConnection { try await $0.query("CREATE TABLE t (x BIGINT PRIMARY KEY)", logger: TestPostgres.logger) }
                await #expect(throws: PostgresTransactionAbortedError.self) {
                    try await pool.withTransaction { connection in
                        try await connection.query("INSERT INTO t VALUES (1)", logger: TestPostgres.logger)
                        do {
                            try await connection.query("INSERT INTO t VALUES (1)", logger: TestPostgres.logger)
                        } catch let error where PostgresSQLState(of: error) == .uniqueViolation {
                            // Swallowed: PostgreSQL has aborted the transaction all the same.
                        }
                    }
                }
                #expect(try await Self.values(pool) == [])
                // The connection went back to the pool clean: the next transaction works.
                try await pool.withTransaction { try await $0.query("INSERT INTO t VALUES (3)", logger: TestPostgres.logger) }
                #expect(try await Self.values(pool) == [3])
            }
        }
    }

    @Test("the isolation level is the one asked for, READ COMMITTED by default", arguments: PostgresIsolationLevel.allCases)
    func isolation(level: PostgresIsolationLevel) async throws {
        let configuration = try await TestPostgres.configuration(limits: .with { $0.maxConnections = 1 })
        try await TestPostgres.withPool(configuration) { pool in
            let asked = try await pool.withTransaction(level) { try await Self.isolationLevel($0) }
            #expect(asked == level.rawValue.lowercased())
            #expect(try await pool.withTransaction { try await Self.isolationLevel($0) } == "read committed")
        }
    }

    @Test("the statement timeout reaches the server, which cancels a longer statement")
    func statementTimeout() async throws {
        let configuration = try await TestPostgres.configuration(
            limits: .with {
                $0.maxConnections = 1
                $0.statementTimeout = .milliseconds(50)
            })
        try await TestPostgres.withPool(configuration) { pool in
            let error = await #expect(throws: PSQLError.self) {
                // The error comes with the rows: the row description arrives before pg_sleep runs.
                try await pool.withConnection { try await $0.query("SELECT pg_sleep(5)", logger: TestPostgres.logger).collect() }
            }
            #expect(error.flatMap { PostgresSQLState(of: $0) } == .queryCanceled)
        }
    }

    static func isolationLevel(_ connection: PostgresConnection) async throws -> String? {
        try await connection.query("SHOW transaction_isolation", logger: TestPostgres.logger).decode(String.self).first { _ in true }
    }

    static func values(_ pool: PostgresConnectionPool) async throws -> [Int] {
        try await pool.withConnection { connection in
            var values: [Int] = []
            for try await value in try await connection.query("SELECT x FROM t ORDER BY x", logger: TestPostgres.logger).decode(Int.self) {
                values.append(value)
            }
            return values
        }
    }
}
