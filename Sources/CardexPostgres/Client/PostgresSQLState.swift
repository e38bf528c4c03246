import PostgresNIO

/// The SQLSTATE of an error the server reported (PostgreSQL's appendix A), for deciding what an
/// error means without matching its text.
public struct PostgresSQLState: Sendable, Hashable, CustomStringConvertible {
    /// The five-character code, such as `40001`.
    public let code: String

    /// Creates a state from its code.
    public init(_ code: String) {
        self.code = code
    }

    /// The server's SQLSTATE in `error`: a `PSQLError` from the server, or one inside
    /// postgres-nio's `PostgresTransactionError`. Nil for any other error (a lost connection, a
    /// timeout, the caller's own errors).
    public init?(of error: any Error) {
        if let error = error as? PSQLError, let code = error.serverInfo?[.sqlState] {
            self.init(code)
        } else if let error = error as? PostgresTransactionError,
            let inner = error.closureError ?? error.commitError ?? error.beginError,
            let state = PostgresSQLState(of: inner)
        {
            self = state
        } else {
            return nil
        }
    }

    /// `40001`: a SERIALIZABLE or REPEATABLE READ transaction conflicted with another.
    public static let serializationFailure = PostgresSQLState("40001")
    /// `40P01`: the server ended this transaction to break a deadlock.
    public static let deadlockDetected = PostgresSQLState("40P01")
    /// `23505`: a unique or primary-key constraint refused a duplicate.
    public static let uniqueViolation = PostgresSQLState("23505")
    /// `23503`: a foreign key refused a row whose parent is missing.
    public static let foreignKeyViolation = PostgresSQLState("23503")
    /// `57014`: the statement was cancelled, for example by `statement_timeout`.
    public static let queryCanceled = PostgresSQLState("57014")
    /// `28P01`: the password was wrong.
    public static let invalidPassword = PostgresSQLState("28P01")

    /// Whether the error is a conflict with another transaction that running the whole
    /// transaction again may not meet: a serialization failure or a deadlock.
    public var isConflict: Bool {
        self == .serializationFailure || self == .deadlockDetected
    }

    /// The code.
    public var description: String { code }
}
