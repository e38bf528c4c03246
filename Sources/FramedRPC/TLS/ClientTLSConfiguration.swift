import NIOSSL

/// How a client verifies the server, and the certificate it presents for mutual TLS.
///
/// The client speaks TLS 1.2 or 1.3 only (TLS 1.2 limited to ECDHE + AEAD suites, see
/// ``TLSPolicy``), always verifies the server's certificate chain and host name, and offers
/// ALPN `framedrpc/1`.
public struct ClientTLSConfiguration: Sendable {
    /// Certificates the server's chain must lead to; `nil` uses the system's trust store.
    public var trustRoots: [NIOSSLCertificate]?
    /// The name the server's certificate must carry; also sent as SNI unless it is an IP address.
    public var serverHostname: String?
    /// The client's certificate chain and key, for servers that require mutual TLS.
    public var clientCertificate: (chain: [NIOSSLCertificate], key: NIOSSLPrivateKey)?

    /// Creates a configuration.
    public init(
        trustRoots: [NIOSSLCertificate]? = nil,
        serverHostname: String? = nil,
        clientCertificate: (chain: [NIOSSLCertificate], key: NIOSSLPrivateKey)? = nil
    ) {
        self.trustRoots = trustRoots
        self.serverHostname = serverHostname
        self.clientCertificate = clientCertificate
    }

    /// Loads trust roots (and optionally a client certificate and key) from PEM files.
    public init(
        trustRootsPath: String,
        serverHostname: String? = nil,
        clientCertificatePath: String? = nil,
        clientKeyPath: String? = nil
    ) throws {
        var certificate: (chain: [NIOSSLCertificate], key: NIOSSLPrivateKey)?
        if let clientCertificatePath, let clientKeyPath {
            certificate = (
                try NIOSSLCertificate.fromPEMFile(clientCertificatePath),
                try NIOSSLPrivateKey(file: clientKeyPath, format: .pem)
            )
        }
        self.init(
            trustRoots: try NIOSSLCertificate.fromPEMFile(trustRootsPath),
            serverHostname: serverHostname,
            clientCertificate: certificate
        )
    }

    /// Builds the swift-nio-ssl context.
    func makeContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        TLSPolicy.apply(to: &configuration)
        configuration.certificateVerification = .fullVerification
        if let trustRoots {
            configuration.trustRoots = .certificates(trustRoots)
        }
        if let clientCertificate {
            configuration.certificateChain = clientCertificate.chain.map { .certificate($0) }
            configuration.privateKey = .privateKey(clientCertificate.key)
        }
        return try NIOSSLContext(configuration: configuration)
    }
}
