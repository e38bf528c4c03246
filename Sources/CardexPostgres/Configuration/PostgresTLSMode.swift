/// How the connection to PostgreSQL is secured: the URL's `sslmode`.
///
/// Every TLS mode negotiates TLS 1.2 or newer; TLS 1.0 and 1.1 are refused.
public enum PostgresTLSMode: Sendable, Equatable {
    /// `sslmode=disable`: no TLS. For a server on the same machine or a private link only.
    case disable
    /// `sslmode=require` (the default): TLS, but the server's certificate is not checked, so the
    /// traffic is encrypted and safe from eavesdroppers, not from someone who can intercept the
    /// connection and pose as the server. Use ``verifyFull(rootCertificatePath:)`` where that
    /// matters.
    case require
    /// `sslmode=verify-full`: TLS, the server's certificate must chain to a trusted root and name
    /// the host the URL names (a DNS name, or an IP address in the certificate's IP names). The
    /// roots are the PEM file `sslrootcert` names, or the system's when there is none.
    case verifyFull(rootCertificatePath: String?)

    /// The `sslmode` value of this mode.
    public var sslmode: String {
        switch self {
        case .disable: "disable"
        case .require: "require"
        case .verifyFull: "verify-full"
        }
    }
}
