extension PostgresStoreConfiguration {
    /// The pool's size and time limits.
    ///
    /// ``defaults``: 20 connections, 10 s to connect (TCP and TLS), 30 s per statement.
    public struct Limits: Sendable, Equatable {
        /// Connections the pool opens at most; work beyond it waits for a connection. Keep the
        /// sum over all Cardex instances below the server's `max_connections` (100 unless set).
        /// Default 20.
        public var maxConnections: Int
        /// Time allowed to open a connection (TCP, then TLS). Default 10 s.
        public var connectTimeout: Duration
        /// Longest a single statement may run before the server cancels it (SQLSTATE 57014,
        /// `query_canceled`); nil for no limit. Sent as the connection's `statement_timeout`.
        /// Migrations lift it for their own transactions. Default 30 s.
        public var statementTimeout: Duration?

        /// Creates limits; every argument defaults to the value in ``defaults``.
        public init(
            maxConnections: Int = 20,
            connectTimeout: Duration = .seconds(10),
            statementTimeout: Duration? = .seconds(30)
        ) {
            self.maxConnections = maxConnections
            self.connectTimeout = connectTimeout
            self.statementTimeout = statementTimeout
        }

        /// The documented defaults.
        public static var defaults: Limits { Limits() }
    }
}
