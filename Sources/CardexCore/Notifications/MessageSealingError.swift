/// Why ``MessageSealer/open(_:kind:recipient:)`` could not open a stored body. Its text never
/// holds the body.
public enum MessageSealingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The body is plain text, not sealed.
    case notSealed
    /// Sealed in a form this version does not know (the version tag, e.g. `v2`): written by a
    /// newer server.
    case unknownForm(String)
    /// The sealed text is not base64 of nonce, ciphertext and tag, or opens to invalid UTF-8.
    case malformed
    /// Authentication failed: the body was altered, moved to another recipient or kind, or
    /// sealed under another key.
    case notAuthentic

    /// What went wrong and what to do, without the body.
    public var description: String {
        switch self {
        case .notSealed:
            "the outbox body is not sealed"
        case .unknownForm(let version):
            "the outbox body is sealed in form \"\(version)\", unknown to this version: run the version that queued it"
        case .malformed:
            "the sealed outbox body is malformed (truncated or not base64)"
        case .notAuthentic:
            "the sealed outbox body does not open with this server's key: it was altered or moved to another row, "
                + "or sealed under another key (was the data directory's code-hashing.key replaced?)"
        }
    }
}
