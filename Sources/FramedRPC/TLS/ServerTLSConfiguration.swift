import NIOCore
import NIOSSL

/// The server's certificate and key, and whether clients must present certificates.
///
/// Whatever is set here, the server speaks TLS 1.2 or 1.3 only, with TLS 1.2 limited to
/// ECDHE + AEAD suites (``TLSPolicy``), and offers ALPN `framedrpc/1`.
public struct ServerTLSConfiguration: Sendable {
    /// Whether clients must authenticate with a certificate.
    public enum ClientAuthentication: Sendable {
        /// Clients are not asked for a certificate.
        case none
        /// Mutual TLS: clients must present a certificate that chains to one of `trustRoots`.
        case required(trustRoots: [NIOSSLCertificate])
    }

    /// The server's certificate chain, leaf first.
    public var certificateChain: [NIOSSLCertificate]
    /// The key of the leaf certificate.
    public var privateKey: NIOSSLPrivateKey
    /// Client certificate policy; `.none` by default.
    public var clientAuthentication: ClientAuthentication

    /// Creates a configuration from loaded certificates and key.
    public init(
        certificateChain: [NIOSSLCertificate],
        privateKey: NIOSSLPrivateKey,
        clientAuthentication: ClientAuthentication = .none
    ) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.clientAuthentication = clientAuthentication
    }

    /// Loads the chain and key from PEM files. With `clientCAPath`, clients must present a
    /// certificate signed by a CA in that PEM file (mutual TLS).
    /// Throws when a file is missing or is not PEM.
    public init(certificateChainPath: String, privateKeyPath: String, clientCAPath: String? = nil) throws {
        self.init(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificateChainPath),
            privateKey: try NIOSSLPrivateKey(file: privateKeyPath, format: .pem),
            clientAuthentication: try clientCAPath.map { .required(trustRoots: try NIOSSLCertificate.fromPEMFile($0)) } ?? .none
        )
    }

    /// Builds the swift-nio-ssl context; a closing connection waits `closeTimeout` at most for
    /// the client's close_notify.
    func makeContext(closeTimeout: Duration) throws -> NIOSSLContext {
        try NIOSSLContext(configuration: tlsConfiguration(closeTimeout: closeTimeout))
    }

    /// The swift-nio-ssl configuration under ``TLSPolicy`` (TLS 1.2 or later, forward-secret AEAD
    /// suites), offering `applicationProtocols` by ALPN: FramedRPC's by default, or another
    /// protocol's served with the same certificate and policy (HTTP/1.1 for CardDAV).
    public func tlsConfiguration(
        applicationProtocols: [String] = [TLSPolicy.alpnProtocol], closeTimeout: Duration = .seconds(5)
    ) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificateChain.map { .certificate($0) },
            privateKey: .privateKey(privateKey)
        )
        TLSPolicy.apply(to: &configuration, applicationProtocols: applicationProtocols)
        configuration.shutdownTimeout = TimeAmount(closeTimeout)
        switch clientAuthentication {
        case .none:
            configuration.certificateVerification = .none
        case .required(let roots):
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates(roots)
        }
        return configuration
    }
}
