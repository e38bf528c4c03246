/// A transaction ended in a rollback although its body returned normally: a statement in it had
/// failed and the body caught the error, so PostgreSQL answered `COMMIT` with `ROLLBACK`.
/// Nothing of the transaction was written.
public struct PostgresTransactionAbortedError: Error, Sendable, CustomStringConvertible {
    /// What happened and what to do.
    public var description: String {
        "the transaction was rolled back at COMMIT: a statement in it failed and its error was caught; "
            + "nothing was written (let the error end the transaction, or use a SAVEPOINT)"
    }
}
