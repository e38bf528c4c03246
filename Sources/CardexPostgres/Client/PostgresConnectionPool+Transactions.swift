import Logging
import PostgresNIO

extension PostgresConnectionPool {
    /// Runs `body` in one transaction on one connection: `BEGIN ISOLATION LEVEL …`, `body`, then
    /// `COMMIT`; `ROLLBACK` when `body` throws.
    ///
    /// - Parameters:
    ///   - isolation: default ``PostgresIsolationLevel/readCommitted``: under READ COMMITTED a
    ///     transaction waits for a row lock instead of failing, so no retry loop is needed.
    ///   - readOnly: begins the transaction `READ ONLY`: any write in it fails (SQLSTATE 25006).
    /// - Returns: what `body` returns, once the transaction committed.
    /// - Throws: what `body` throws, unchanged, after the rollback; a `PSQLError` from `BEGIN` or
    ///   `COMMIT` (a `COMMIT` that fails commits nothing; one whose connection breaks may or may not
    ///   have committed); ``PostgresTransactionAbortedError`` when `body` caught a failed
    ///   statement and returned normally, which PostgreSQL answers by rolling back at `COMMIT`.
    ///   `body` must not keep the connection, nor end the transaction itself.
    @discardableResult
    public func withTransaction<Result: Sendable>(
        _ isolation: PostgresIsolationLevel = .readCommitted,
        readOnly: Bool = false,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            try await inTransaction(on: connection, isolation: isolation, readOnly: readOnly, body)
        }
    }

    /// Runs ``withTransaction(_:_:)`` and, when it fails for a conflict another transaction
    /// caused (serialization failure, SQLSTATE 40001, or deadlock, 40P01), runs it again after
    /// a short random pause, up to ``PostgresRetryPolicy/maxAttempts`` times in all. The last
    /// attempt's error is thrown; any other error is thrown at once.
    ///
    /// `body` may run several times: it must do nothing but database work on the connection it
    /// is given (no messages sent, no state outside kept) until it returns.
    @discardableResult
    public func withRetryingTransaction<Result: Sendable>(
        _ isolation: PostgresIsolationLevel = .readCommitted,
        retry policy: PostgresRetryPolicy = .defaults,
        clock: some Clock<Duration> = ContinuousClock(),
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await withTransaction(isolation, body)
            } catch let error where attempt < policy.maxAttempts && PostgresSQLState(of: error)?.isConflict == true {
                logger.debug(
                    "transaction conflict, retrying",
                    metadata: ["attempt": "\(attempt)", "sqlstate": "\(PostgresSQLState(of: error)?.code ?? "")"])
                try await clock.sleep(for: policy.pause(before: attempt + 1))
                attempt += 1
            }
        }
    }

    private func inTransaction<Result: Sendable>(
        on connection: PostgresConnection,
        isolation: PostgresIsolationLevel,
        readOnly: Bool,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let access = readOnly ? " READ ONLY" : ""
        try await connection.query(PostgresQuery(unsafeSQL: "BEGIN ISOLATION LEVEL \(isolation.rawValue)\(access)"), logger: logger)
        let result: Result
        do {
            result = try await body(connection)
        } catch {
            do {
                try await connection.query("ROLLBACK", logger: logger)
            } catch let rollbackError {
                // The connection's state is unknown: it must not go back to the pool mid-transaction.
                logger.warning("ROLLBACK failed, closing the connection", metadata: ["error": "\(rollbackError)"])
                try? await connection.close()
            }
            throw error
        }
        let commit: PostgresQueryResult = try await connection.query("COMMIT", logger: logger).get()
        guard commit.metadata.command == "COMMIT" else {
            throw PostgresTransactionAbortedError()
        }
        return result
    }
}
