import Crypto
import Foundation

/// Seals outbox message bodies, so the database, its write-ahead log and its backups hold a
/// verification code (or an invitation's text) only as ciphertext.
///
/// The key is derived by HKDF-SHA256 from the server secret kept beside the database, not in it
/// (the file that also keys ``CodeHasher``), under its own `info` label, so the two uses of that
/// secret are independent. Each body is sealed with ChaCha20-Poly1305 under a fresh random
/// 96-bit nonce, with the message's kind and recipient as associated data: a sealed body opens
/// only for the row it was queued for. With random nonces one key seals safely up to 2^32
/// messages.
///
/// The stored form is ``prefix`` followed by the base64 of nonce (12 bytes), ciphertext and
/// tag (16 bytes). Every form begins with `sealed:` (``isSealed(_:)``); the version after it
/// names the algorithm and the layout, so a later form can be added beside this one.
///
/// Sealing and opening are pure computations (no I/O); the value is `Sendable` and may be used
/// from any thread.
public struct MessageSealer: Sendable {
    /// What a body sealed in this form starts with.
    public static let prefix = "sealed:v1:"
    /// What every sealed form, of any version, starts with.
    public static let sealedMarker = "sealed:"
    /// HKDF's `info` for this key: what makes it differ from the secret's other uses.
    static let keyLabel = Data("cardex outbox body sealing v1".utf8)

    /// The derived key's bytes (`SymmetricKey` is not `Sendable`; making one per call is cheap).
    private let keyBytes: Data

    /// Creates a sealer keyed from `secret`, the server secret of at least 32 bytes.
    /// - Precondition: `secret` holds at least 32 bytes.
    public init(secret: Data) {
        precondition(secret.count >= 32, "the outbox sealing secret must have at least 256 bits")
        keyBytes = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secret), info: Self.keyLabel, outputByteCount: 32)
            .withUnsafeBytes { Data($0) }
    }

    /// Whether `stored` is a sealed body (of any version), as opposed to plain text.
    public static func isSealed(_ stored: String) -> Bool {
        stored.hasPrefix(sealedMarker)
    }

    /// The stored form of `body` for a message of `kind` to `recipient` (E.164). Two seals of
    /// one body differ (fresh nonce).
    /// - Throws: the cipher's error; with a 256-bit key and a generated nonce it has none to
    ///   throw, and the use case then fails whole rather than queue a plain body.
    public func seal(_ body: String, kind: OutboxMessage.Kind, recipient: String) throws -> String {
        let box = try ChaChaPoly.seal(Data(body.utf8), using: SymmetricKey(data: keyBytes), authenticating: Self.associatedData(kind, recipient))
        return Self.prefix + box.combined.base64EncodedString()
    }

    /// The body sealed in `stored` for a message of `kind` to `recipient`.
    /// - Throws: ``MessageSealingError``: `stored` is not sealed, is sealed in a form this
    ///   version does not know, is malformed, or does not open (altered, sealed for another
    ///   kind or recipient, or under another key). The error never holds the body.
    public func open(_ stored: String, kind: OutboxMessage.Kind, recipient: String) throws(MessageSealingError) -> String {
        guard Self.isSealed(stored) else { throw .notSealed }
        guard stored.hasPrefix(Self.prefix) else {
            let form = stored.dropFirst(Self.sealedMarker.count).prefix { $0 != ":" }.prefix(16)
            throw .unknownForm(String(form))
        }
        guard let combined = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count))),
            let box = try? ChaChaPoly.SealedBox(combined: combined)
        else { throw .malformed }
        guard let plain = try? ChaChaPoly.open(box, using: SymmetricKey(data: keyBytes), authenticating: Self.associatedData(kind, recipient)) else {
            throw .notAuthentic
        }
        guard let body = String(data: plain, encoding: .utf8) else { throw .malformed }
        return body
    }

    /// What binds a sealed body to its row: the form, the kind and the recipient, NUL-separated
    /// (neither holds a NUL).
    private static func associatedData(_ kind: OutboxMessage.Kind, _ recipient: String) -> Data {
        Data("\(prefix)\u{0}\(kind.rawValue)\u{0}\(recipient)".utf8)
    }
}
