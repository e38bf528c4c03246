import NIOSSL

/// The floor's TLS settings: those of FramedRPC's `TLSPolicy` (bar ALPN), so the floor pays the same crypto.
///
/// TLS 1.2 minimum (1.3 is negotiated when both sides have it); under 1.2 only the forward-secret
/// AEAD suites of docs/PROTOCOL.md §1. Clients verify the chain and the server name.
enum FloorTLS {
    /// ECDHE with AES-GCM or ChaCha20-Poly1305, the TLS 1.2 suites the protocol allows.
    static let cipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    /// A server context presenting the PEM chain at `certificatePath` with the key at `keyPath`.
    /// Throws NIOSSL's error if either file is missing or not PEM.
    static func serverContext(certificatePath: String, keyPath: String) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain,
            privateKey: .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem))
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuiteValues = cipherSuites
        return try NIOSSLContext(configuration: configuration)
    }

    /// A client context trusting only the PEM certificates at `trustRootsPath`.
    static func clientContext(trustRootsPath: String) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(trustRootsPath)
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuiteValues = cipherSuites
        return try NIOSSLContext(configuration: configuration)
    }
}
