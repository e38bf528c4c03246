/// Where and how Cardex reaches its PostgreSQL database: the server, the role, the database, the
/// transport security and the pool's limits.
///
/// Made from a URL (``init(url:limits:)``):
/// `postgres://user:password@host:port/database?sslmode=MODE&sslrootcert=PATH` (`postgresql://`
/// too). The password is never part of ``description``, so a configuration can be logged.
public struct PostgresStoreConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// The server's host name or IP address (an IPv6 address without brackets).
    public var host: String
    /// The server's TCP port. Default 5432 when the URL names none.
    public var port: Int
    /// The role Cardex logs in as.
    public var username: String
    /// The role's password; nil when the URL has none (a server that trusts the client).
    public var password: String?
    /// The database's name.
    public var database: String
    /// Transport security: no TLS, TLS without checking the server's certificate, or TLS with
    /// the certificate's chain and name checked. Default ``PostgresTLSMode/require``.
    public var tls: PostgresTLSMode
    /// The pool's size and the time limits.
    public var limits: Limits

    /// Creates a configuration from its parts.
    public init(
        host: String,
        port: Int = 5432,
        username: String,
        password: String?,
        database: String,
        tls: PostgresTLSMode = .require,
        limits: Limits = .defaults
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.limits = limits
    }

    /// The URL this configuration stands for, its password replaced by `***`.
    public var description: String {
        let credentials = password == nil ? username : "\(username):***"
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var text = "postgres://\(credentials)@\(hostPart):\(port)/\(database)?sslmode=\(tls.sslmode)"
        if case .verifyFull(let rootCertificatePath?) = tls {
            text += "&sslrootcert=\(rootCertificatePath)"
        }
        return text
    }
}
