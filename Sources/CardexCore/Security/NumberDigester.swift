import Crypto
import Foundation

/// Keyed digests of phone numbers, for remembering which numbers someone looked up without
/// storing the numbers: a phone number has few enough values that a plain hash would be reversed
/// by trying them all; HMAC-SHA256 with a secret kept outside the database is not.
public struct NumberDigester: Sendable {
    /// HMAC already keyed (its inner and outer pads hashed); each digest continues a copy. A value
    /// type whose copies copy their state before changing it, so sharing it between threads is safe.
    private nonisolated(unsafe) let keyed: HMAC<SHA256>

    /// Derives the digest key from a server secret of at least 32 bytes (the code-hashing key:
    /// the derivation keeps the two uses apart).
    public init(secret: Data) {
        precondition(secret.count >= 32, "the secret must have at least 256 bits")
        let key = HMAC<SHA256>.authenticationCode(for: Data("cardex lookup numbers".utf8), using: SymmetricKey(data: secret))
        keyed = HMAC<SHA256>(key: SymmetricKey(data: key))
    }

    /// The digest identifying `number` under this server's key.
    public func digest(_ number: PhoneNumber) -> NumberDigest {
        var mac = keyed
        var text = number.e164
        text.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return mac.finalize().withUnsafeBytes { NumberDigest(prefixOf: $0) }
    }
}

/// The first 16 bytes of a number's keyed digest (``NumberDigester``): enough to tell apart every
/// number there is, small enough to hold millions in memory.
public struct NumberDigest: Sendable, Hashable {
    public static let byteCount = 16

    private let high: UInt64
    private let low: UInt64

    /// The digest in the first ``byteCount`` bytes of `bytes` (which must have that many).
    public init(prefixOf bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count >= Self.byteCount, "a number digest has \(Self.byteCount) bytes")
        high = UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self))
        low = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    }

    /// The digests packed one after another in `packed` (``pack(_:)``); nil when its length is not
    /// a multiple of ``byteCount``.
    public static func unpack(_ packed: Data) -> [NumberDigest]? {
        guard packed.count % byteCount == 0 else { return nil }
        return packed.withUnsafeBytes { bytes in
            stride(from: 0, to: bytes.count, by: byteCount).map { NumberDigest(prefixOf: UnsafeRawBufferPointer(rebasing: bytes[$0...])) }
        }
    }

    /// `digests` packed one after another, ``byteCount`` bytes each.
    public static func pack(_ digests: some Collection<NumberDigest>) -> Data {
        var packed = Data(capacity: digests.count * byteCount)
        for digest in digests {
            withUnsafeBytes(of: digest.high.bigEndian) { packed.append(contentsOf: $0) }
            withUnsafeBytes(of: digest.low.bigEndian) { packed.append(contentsOf: $0) }
        }
        return packed
    }
}
