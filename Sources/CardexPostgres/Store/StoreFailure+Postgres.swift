import CardexCore
import PostgresNIO

extension StoreFailure {
    /// `error` as a ``StoreFailure`` when it is postgres-nio's (the server's refusal, or the
    /// connection's failure); nil for any other error (a use case's own, which passes unchanged).
    ///
    /// The description has the SQLSTATE and the server's primary message, which names objects
    /// (a table, a constraint) but not the row's values; postgres-nio's own description says
    /// nothing (it hides everything, to keep data out of logs), and the server's detail, which
    /// may quote values, is left out.
    init?(postgres error: any Error) {
        let psql: PSQLError
        if let error = error as? PSQLError {
            psql = error
        } else if let error = error as? PostgresTransactionError,
            let inner = (error.closureError ?? error.commitError ?? error.beginError) as? PSQLError
        {
            psql = inner
        } else {
            return nil
        }
        guard let state = PostgresSQLState(of: psql) else {
            // No answer from the server: the connection could not be made or broke.
            let underlying = psql.underlying.map { ": \($0)" } ?? ""
            self.init(.unavailable, "PostgreSQL: \(psql.code)\(underlying)")
            return
        }
        let message = psql.serverInfo?[.message] ?? "no message"
        self.init(Self.kind(of: state), "PostgreSQL: SQLSTATE \(state): \(message)")
    }

    /// The kind of a server's refusal, by its SQLSTATE class (PostgreSQL's appendix A).
    private static func kind(of state: PostgresSQLState) -> Kind {
        if state.isConflict { return .conflict }
        if state == .queryCanceled { return .timeout }
        switch state.code.prefix(2) {
        case "08",  // connection exception
            "53",  // insufficient resources: disk full, out of memory, too many connections
            "57",  // operator intervention: the server shutting down or restarting
            "58":  // system error: an I/O error
            return .unavailable
        default:
            return .failed
        }
    }
}
