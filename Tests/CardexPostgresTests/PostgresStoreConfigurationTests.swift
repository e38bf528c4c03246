import CardexPostgres
import Foundation
import NIOSSL
import Testing

@Suite("PostgresStoreConfiguration: URLs and TLS settings (no server)")
struct PostgresStoreConfigurationTests {
    @Test("a full URL gives each part, percent-decoded")
    func fullURL() throws {
        let configuration = try PostgresStoreConfiguration(
            url: "postgres://car%40dex:p%3Ass%2Fword@db.example.com:6543/cardex_prod?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        #expect(configuration.host == "db.example.com")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "car@dex")
        #expect(configuration.password == "p:ss/word")
        #expect(configuration.database == "cardex_prod")
        #expect(configuration.tls == .verifyFull(rootCertificatePath: "/etc/ca.pem"))
        #expect(configuration.limits == .defaults)
    }

    @Test(
        "defaults and the other forms",
        arguments: [
            ("postgres://u:p@h/d", "h", 5432, PostgresTLSMode.require),
            ("postgresql://u:p@h:1/d?sslmode=disable", "h", 1, .disable),
            ("postgres://u:p@127.0.0.1:5433/d?sslmode=require", "127.0.0.1", 5433, .require),
            ("postgres://u:p@[::1]:5433/d?sslmode=verify-full", "::1", 5433, .verifyFull(rootCertificatePath: nil)),
        ])
    func forms(url: String, host: String, port: Int, tls: PostgresTLSMode) throws {
        let configuration = try PostgresStoreConfiguration(url: url)
        #expect(configuration.host == host)
        #expect(configuration.port == port)
        #expect(configuration.tls == tls)
    }

    @Test("a URL without a password has none")
    func noPassword() throws {
        #expect(try PostgresStoreConfiguration(url: "postgres://cardex@localhost/cardex").password == nil)
    }

    @Test(
        "a bad URL is refused with what is wrong and the expected form",
        arguments: [
            ("", "not a URL"),
            ("db.example.com", "not a URL"),
            ("mysql://u:p@h/d", "scheme mysql://"),
            ("postgres://h/d", "no user name"),
            ("postgres://u:p@/d", "no host"),
            ("postgres://u:p@h:70000/d", "port 70000"),
            ("postgres://u:p@h:5432", "no database name"),
            ("postgres://u:p@h:5432/", "no database name"),
            ("postgres://u:p@h/d/e", "holds a /"),
            ("postgres://u:p@h/d?sslmode=prefer", "sslmode=prefer"),
            ("postgres://u:p@h/d?sslmode=", "sslmode has no value"),
            ("postgres://u:p@h/d?sslmode=require&sslmode=disable", "given twice"),
            ("postgres://u:p@h/d?application_name=x", "unknown parameter application_name"),
            ("postgres://u:p@h/d?sslmode=require&sslrootcert=/ca.pem", "sslrootcert needs sslmode=verify-full"),
            ("postgres://u:p@h/d?sslrootcert=/ca.pem", "sslrootcert needs sslmode=verify-full"),
        ])
    func badURL(url: String, problem: String) {
        let error = #expect(throws: PostgresConfigurationError.self) { try PostgresStoreConfiguration(url: url) }
        #expect(error?.description.contains(problem) == true, "\(String(describing: error))")
        #expect(error?.description.contains("expected postgres://user:password@host:port/database") == true)
    }

    @Test("the description names everything but the password")
    func description() throws {
        let configuration = try PostgresStoreConfiguration(url: "postgres://cardex:s3cret@[::1]:5433/cardex?sslmode=disable")
        #expect(configuration.description == "postgres://cardex:***@[::1]:5433/cardex?sslmode=disable")
        #expect(!configuration.description.contains("s3cret"))
    }

    @Test("require encrypts with TLS 1.2 or newer and checks no certificate; disable makes no TLS")
    func requireSettings() throws {
        let tls = try #require(try PostgresStoreConfiguration(url: "postgres://u:p@h/d?sslmode=require").makeTLSConfiguration())
        #expect(tls.minimumTLSVersion == .tlsv12)
        #expect(tls.certificateVerification == .none)
        #expect(try PostgresStoreConfiguration(url: "postgres://u:p@h/d?sslmode=disable").makeTLSConfiguration() == nil)
    }

    @Test("verify-full checks chain and name, TLS 1.2 or newer, against the system's roots without sslrootcert")
    func verifyFullSettings() throws {
        let tls = try #require(try PostgresStoreConfiguration(url: "postgres://u:p@h/d?sslmode=verify-full").makeTLSConfiguration())
        #expect(tls.minimumTLSVersion == .tlsv12)
        #expect(tls.certificateVerification == .fullVerification)
        #expect(tls.trustRoots == .default)
    }

    @Test("an unreadable sslrootcert is refused with its path")
    func unreadableRoot() {
        let path = "/nonexistent/cardex-ca.pem"
        let error = #expect(throws: PostgresConfigurationError.self) {
            try PostgresStoreConfiguration(url: "postgres://u:p@h/d?sslmode=verify-full&sslrootcert=\(path)").makeTLSConfiguration()
        }
        #expect(error?.description.contains(path) == true)
    }

    @Test(
        "limits out of range are refused when the pool is made",
        arguments: [
            PostgresStoreConfiguration.Limits.with { $0.maxConnections = 0 },
            PostgresStoreConfiguration.Limits.with { $0.connectTimeout = .zero },
            PostgresStoreConfiguration.Limits.with { $0.statementTimeout = .microseconds(10) },
        ])
    func badLimits(limits: PostgresStoreConfiguration.Limits) throws {
        let configuration = try PostgresStoreConfiguration(url: "postgres://u:p@h/d", limits: limits)
        #expect(throws: PostgresConfigurationError.self) { try PostgresConnectionPool(configuration: configuration) }
    }
}
