import CardexPostgres
import CardexPostgresTestSupport
import PostgresNIO
import Testing

@Suite("PostgresConnectionPool: TLS to the server (scripts/postgres.sh's throwaway certificate)")
struct PostgresTLSTests {
    @Test("sslmode=require connects over TLS")
    func require() async throws {
        #expect(try await Self.connectionUsesTLS(.require) == true)
    }

    @Test("sslmode=disable connects without TLS")
    func disable() async throws {
        #expect(try await Self.connectionUsesTLS(.disable) == false)
    }

    @Test("verify-full connects over TLS when the certificate chains to sslrootcert and names 127.0.0.1", .enabled(if: TestPostgres.certificateKnown))
    func verifyFull() async throws {
        let certificate = try #require(try await TestPostgres.current().certificatePath)
        #expect(try await Self.connectionUsesTLS(.verifyFull(rootCertificatePath: certificate)) == true)
    }

    @Test("verify-full refuses a server whose certificate the system's roots do not trust")
    func verifyFullUntrusted() async throws {
        let configuration = try await TestPostgres.configuration(.verifyFull(rootCertificatePath: nil))
        // verifyConnection, not a pool: the pool would retry until its 60 s circuit breaker.
        let error = await #expect(throws: PostgresConnectionError.self) {
            try await PostgresConnectionPool(configuration: configuration).verifyConnection()
        }
        #expect(error?.sqlState == nil)
        #expect(error?.description.contains("CERTIFICATE_VERIFY_FAILED") == true, "\(String(describing: error))")
    }

    @Test("verifyConnection reports a wrong password at once, with the server's reason")
    func wrongPassword() async throws {
        var configuration = try await TestPostgres.configuration()
        configuration.password = "wrong"
        let error = await #expect(throws: PostgresConnectionError.self) {
            try await PostgresConnectionPool(configuration: configuration).verifyConnection()
        }
        #expect(error?.sqlState == .invalidPassword)
        #expect(error?.description.contains("password authentication failed for user \"cardex\"") == true, "\(String(describing: error))")
        #expect(error?.description.contains("wrong") == false)
    }

    /// `ssl` of this connection in `pg_stat_ssl`, as the server sees it.
    static func connectionUsesTLS(_ tls: PostgresTLSMode) async throws -> Bool? {
        let configuration = try await TestPostgres.configuration(
            tls,
            limits: .with {
                $0.maxConnections = 1
                $0.connectTimeout = .seconds(5)
            })
        return try await TestPostgres.withPool(configuration) { pool in
            try await pool.withConnection { connection in
                try await connection.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", logger: TestPostgres.logger)
                    .decode(Bool.self).first { _ in true }
            }
        }
    }
}
