/// A transaction's isolation level, as PostgreSQL implements it.
public enum PostgresIsolationLevel: String, Sendable, CaseIterable {
    /// Each statement sees what was committed before it began; a row another transaction is
    /// changing is waited for, then re-read. Never fails for a conflict. Cardex's default: the
    /// rules of each use case are made safe by row locks (`SELECT … FOR UPDATE`, `INSERT … ON
    /// CONFLICT … DO UPDATE`), which serialize exactly the transactions touching the same rows.
    case readCommitted = "READ COMMITTED"
    /// One snapshot for the whole transaction; writing a row another transaction changed since
    /// fails with SQLSTATE 40001. For consistent multi-statement reads.
    case repeatableRead = "REPEATABLE READ"
    /// As if the transactions ran one after another; any conflict fails with SQLSTATE 40001, so
    /// run these through ``PostgresConnectionPool/withRetryingTransaction(_:retry:clock:_:)``.
    case serializable = "SERIALIZABLE"
}
