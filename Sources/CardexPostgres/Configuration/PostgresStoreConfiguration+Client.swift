import NIOSSL
import PostgresNIO

extension PostgresStoreConfiguration {
    /// The TLS settings of ``tls``, nil for ``PostgresTLSMode/disable``: TLS 1.2 at least (NIOSSL
    /// would allow 1.0); no certificate check for ``PostgresTLSMode/require``; chain and host
    /// name checked for ``PostgresTLSMode/verifyFull(rootCertificatePath:)``, against the roots
    /// of `sslrootcert`, read now, or the system's.
    ///
    /// - Throws: ``PostgresConfigurationError`` when `sslrootcert` cannot be read as PEM
    ///   certificates.
    public func makeTLSConfiguration() throws -> TLSConfiguration? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        switch tls {
        case .disable:
            return nil
        case .require:
            configuration.certificateVerification = .none
        case .verifyFull(let rootCertificatePath):
            configuration.certificateVerification = .fullVerification
            if let rootCertificatePath {
                let roots: [NIOSSLCertificate]
                do {
                    roots = try NIOSSLCertificate.fromPEMFile(rootCertificatePath)
                } catch {
                    throw PostgresConfigurationError(
                        setting: "sslrootcert \(rootCertificatePath): not a readable PEM certificate file (\(error))")
                }
                guard !roots.isEmpty else {
                    throw PostgresConfigurationError(setting: "sslrootcert \(rootCertificatePath): no certificate in the file")
                }
                configuration.trustRoots = .certificates(roots)
            } else {
                configuration.trustRoots = .default
            }
        }
        return configuration
    }

    /// The configuration of postgres-nio's pool: ``limits`` checked and applied, the statement
    /// timeout sent as a startup parameter.
    ///
    /// - Throws: ``PostgresConfigurationError`` for a limit out of range or an unreadable
    ///   `sslrootcert`.
    func makeClientConfiguration() throws -> PostgresClient.Configuration {
        guard limits.maxConnections >= 1 else {
            throw PostgresConfigurationError(setting: "maxConnections \(limits.maxConnections): at least 1 connection")
        }
        guard limits.connectTimeout > .zero else {
            throw PostgresConfigurationError(setting: "connectTimeout \(limits.connectTimeout): must be positive")
        }
        let tlsSetting: PostgresClient.Configuration.TLS =
            try makeTLSConfiguration().map { .require($0) } ?? .disable
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tlsSetting)
        configuration.options.maximumConnections = limits.maxConnections
        configuration.options.connectTimeout = limits.connectTimeout
        if let statementTimeout = limits.statementTimeout {
            // PostgreSQL counts in milliseconds, and 0 would mean no limit.
            let milliseconds =
                statementTimeout.components.seconds * 1000
                + statementTimeout.components.attoseconds / 1_000_000_000_000_000
            guard milliseconds >= 1 else {
                throw PostgresConfigurationError(
                    setting: "statementTimeout \(statementTimeout): at least 1 ms (nil for no limit)")
            }
            configuration.options.additionalStartupParameters = [("statement_timeout", "\(milliseconds)")]
        }
        return configuration
    }

    /// The configuration of a single connection outside the pool, with the same settings
    /// (``PostgresConnectionPool/verifyConnection()``).
    func makeConnectionConfiguration() throws -> PostgresConnection.Configuration {
        let pool = try makeClientConfiguration()
        let tlsSetting: PostgresConnection.Configuration.TLS =
            try makeTLSConfiguration().map { .require(try NIOSSLContext(configuration: $0)) } ?? .disable
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tlsSetting)
        configuration.options.connectTimeout = .nanoseconds(
            pool.options.connectTimeout.components.seconds * 1_000_000_000
                + pool.options.connectTimeout.components.attoseconds / 1_000_000_000)
        configuration.options.additionalStartupParameters = pool.options.additionalStartupParameters
        return configuration
    }
}
