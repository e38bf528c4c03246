import CardexCore

extension PostgresStoreConfiguration {
    /// The pool's size and time limits.
    public struct Limits: Sendable, Equatable, DocumentedDefaults {
        /// Connections the pool opens at most; work beyond it waits for a connection. Keep the
        /// sum over all Cardex instances below the server's `max_connections` (100 unless set).
        public var maxConnections: Int
        /// Time allowed to open a connection (TCP, then TLS).
        public var connectTimeout: Duration
        /// Longest a single statement may run before the server cancels it (SQLSTATE 57014,
        /// `query_canceled`); nil for no limit. Sent as the connection's `statement_timeout`.
        /// Migrations lift it for their own transactions.
        public var statementTimeout: Duration?

        /// Creates limits from every value; start from ``defaults`` to change a few.
        public init(maxConnections: Int, connectTimeout: Duration, statementTimeout: Duration?) {
            self.maxConnections = maxConnections
            self.connectTimeout = connectTimeout
            self.statementTimeout = statementTimeout
        }

        /// 20 connections, 10 s to connect (TCP and TLS), 30 s per statement.
        public static var defaults: Limits {
            Limits(maxConnections: 20, connectTimeout: .seconds(10), statementTimeout: .seconds(30))
        }

    }
}
