/// A transaction's isolation level, as PostgreSQL implements it.
public enum PostgresIsolationLevel: String, Sendable, CaseIterable {
    /// Each statement sees what was committed before it began; a row another transaction is
    /// changing is waited for, then re-read. Never fails for a conflict. The pool's default (the
    /// migrations use it); ``PostgresStore`` does not, as its use cases take no row locks.
    case readCommitted = "READ COMMITTED"
    /// One snapshot for the whole transaction; writing a row another transaction changed since
    /// fails with SQLSTATE 40001. For consistent multi-statement reads.
    case repeatableRead = "REPEATABLE READ"
    /// As if the transactions ran one after another; any conflict fails with SQLSTATE 40001, so
    /// run these (``PostgresStore``'s writes) through ``PostgresConnectionPool/withRetryingTransaction(_:retry:clock:_:)``.
    case serializable = "SERIALIZABLE"
}
