import Foundation

extension PostgresStoreConfiguration {
    /// Parses `postgres://user:password@host:port/database?sslmode=MODE&sslrootcert=PATH`.
    ///
    /// - The scheme is `postgres` or `postgresql`; user, host and database are required; the port
    ///   defaults to 5432; user, password and database are percent-decoded (`%40` for `@`); an
    ///   IPv6 host is written in brackets (`[::1]`).
    /// - `sslmode` is `disable`, `require` (the default) or `verify-full`; `sslrootcert`, a PEM
    ///   file of trusted roots, goes with `verify-full` only (without it, the system's roots).
    ///   Other parameters are refused rather than ignored, so a setting never silently does
    ///   nothing.
    ///
    /// - Throws: ``PostgresConfigurationError`` naming the part that is wrong.
    public init(url: String, limits: Limits = .defaults) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme else {
            throw PostgresConfigurationError("not a URL")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresConfigurationError("scheme \(scheme):// is not postgres:// or postgresql://")
        }
        guard let username = components.user, !username.isEmpty else {
            throw PostgresConfigurationError("no user name")
        }
        guard var host = components.host, !host.isEmpty else {
            throw PostgresConfigurationError("no host")
        }
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw PostgresConfigurationError("port \(port) is not within 1...65535")
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.isEmpty, !path.contains("/") else {
            throw PostgresConfigurationError(path.isEmpty ? "no database name" : "database name \(path) holds a /")
        }
        let tls = try Self.tlsMode(of: components.queryItems ?? [])
        self.init(
            host: host, port: port, username: username, password: components.password,
            database: path, tls: tls, limits: limits)
    }

    private static func tlsMode(of parameters: [URLQueryItem]) throws -> PostgresTLSMode {
        var sslmode: String?
        var rootCertificatePath: String?
        for parameter in parameters {
            guard let value = parameter.value, !value.isEmpty else {
                throw PostgresConfigurationError("parameter \(parameter.name) has no value")
            }
            switch parameter.name {
            case "sslmode" where sslmode == nil: sslmode = value
            case "sslrootcert" where rootCertificatePath == nil: rootCertificatePath = value
            case "sslmode", "sslrootcert":
                throw PostgresConfigurationError("parameter \(parameter.name) given twice")
            default:
                throw PostgresConfigurationError("unknown parameter \(parameter.name) (known: sslmode, sslrootcert)")
            }
        }
        switch sslmode ?? "require" {
        case "disable", "require":
            guard rootCertificatePath == nil else {
                throw PostgresConfigurationError("sslrootcert needs sslmode=verify-full (other modes check no certificate)")
            }
            return sslmode == "disable" ? .disable : .require
        case "verify-full":
            return .verifyFull(rootCertificatePath: rootCertificatePath)
        case let other:
            throw PostgresConfigurationError("sslmode=\(other) is not disable, require or verify-full")
        }
    }
}
