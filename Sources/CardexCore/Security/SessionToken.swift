import Crypto
import Foundation

/// A device session's bearer token: 256 random bits, given to the client once and stored only
/// as its SHA-256.
public struct SessionToken: Sendable, Hashable {
    /// The token text the client sends (`authorization: Bearer <text>`): 43 base64url characters.
    public let text: String

    /// Wraps token text a client sent.
    public init(text: String) {
        self.text = text
    }

    /// A new token from the system CSPRNG.
    public static func generate() -> SessionToken {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return SessionToken(text: bytes.base64URLEncoded)
    }

    /// What the store keeps: SHA-256 of the token text. Tokens are random and long, so a plain
    /// hash is enough (no salt or stretching needed) and lets the store look sessions up by it.
    public var hash: Data {
        Data(SHA256.hash(data: Data(text.utf8)))
    }
}

extension Data {
    /// Base64 without padding, with `-` and `_` (RFC 4648 §5).
    var base64URLEncoded: String {
        base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
