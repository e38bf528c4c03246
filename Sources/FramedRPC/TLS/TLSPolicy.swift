import NIOSSL

/// The TLS rules every FramedRPC endpoint applies (docs/PROTOCOL.md §1).
public enum TLSPolicy {
    /// The ALPN protocol id of wire protocol version 1.
    public static let alpnProtocol = "framedrpc/1"

    /// TLS 1.2 suites allowed: ECDHE key exchange (forward secrecy) with AES-GCM or
    /// ChaCha20-Poly1305 (AEAD). TLS 1.3 suites are all AEAD with ephemeral keys already.
    public static let tls12CipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    /// Applies the version floor, suites and ALPN (`applicationProtocols`) to `configuration`.
    static func apply(to configuration: inout TLSConfiguration, applicationProtocols: [String] = [alpnProtocol]) {
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuiteValues = tls12CipherSuites
        configuration.applicationProtocols = applicationProtocols
    }
}
