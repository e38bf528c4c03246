import Crypto
import Foundation

/// Keyed digests of phone numbers, for remembering which numbers someone looked up without
/// storing the numbers: a phone number has few enough values that a plain hash would be reversed
/// by trying them all; HMAC-SHA256 with a secret kept outside the database is not.
public struct NumberDigester: Sendable {
    private let keyBytes: Data

    /// Derives the digest key from a server secret of at least 32 bytes (the code-hashing key:
    /// the derivation keeps the two uses apart).
    public init(secret: Data) {
        precondition(secret.count >= 32, "the secret must have at least 256 bits")
        keyBytes = Data(HMAC<SHA256>.authenticationCode(for: Data("cardex lookup numbers".utf8), using: SymmetricKey(data: secret)))
    }

    /// 16 bytes identifying `number` under this server's key.
    public func digest(_ number: PhoneNumber) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(number.e164.utf8), using: SymmetricKey(data: keyBytes)).prefix(16))
    }
}
