import PostgresNIO

/// ``PostgresConnectionPool/verifyConnection()`` could not connect: why, in words an operator can
/// act on (postgres-nio's own errors describe themselves generically, to keep data out of logs).
public struct PostgresConnectionError: Error, Sendable, CustomStringConvertible {
    /// The database, its password hidden.
    public let database: String
    /// The server's message (`password authentication failed for user "cardex"`), or the
    /// connection's or TLS's error.
    public let reason: String
    /// The server's SQLSTATE when the server refused (`28P01` for a wrong password).
    public let sqlState: PostgresSQLState?

    init(_ configuration: PostgresStoreConfiguration, _ error: any Error) {
        database = configuration.description
        sqlState = PostgresSQLState(of: error)
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                reason = message
            } else if let underlying = error.underlying {
                reason = "\(error.code): \(underlying)"
            } else {
                reason = "\(error.code)"
            }
        } else {
            reason = "\(error)"
        }
    }

    /// What failed and why.
    public var description: String {
        "cannot connect to \(database): \(reason)" + (sqlState.map { " (SQLSTATE \($0))" } ?? "")
    }
}
