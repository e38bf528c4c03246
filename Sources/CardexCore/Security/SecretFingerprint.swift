import Crypto
import Foundation

/// What identifies a server secret without revealing it: HMAC-SHA256 of a fixed label under the
/// secret. A database that several instances share records it, so an instance started with
/// another secret (which would not verify the codes the others sent, nor open the messages they
/// queued) is refused instead of running. Knowing it tells nothing of the secret, nor of the
/// keys derived from it.
public enum SecretFingerprint {
    /// The fingerprint of `secret`.
    public static func of(_ secret: Data) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data("cardex secret fingerprint".utf8), using: SymmetricKey(data: secret)))
    }
}
