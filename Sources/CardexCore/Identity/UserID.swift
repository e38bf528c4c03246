import Crypto
import Foundation

/// A person's stable identity. It never changes, not even when the phone number does.
public struct UserID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The lowercase UUID text.
    public let rawValue: String

    /// Wraps stored text without checking it; use ``init(parsing:)`` for input from clients.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Parses a user id sent by a client.
    /// - Throws: ``CardexError/invalidArgument(_:)`` unless `text` is a UUID.
    public init(parsing text: String) throws(CardexError) {
        guard let uuid = UUID(uuidString: text) else {
            throw .invalidArgument("user id \"\(text.prefix(64))\" is not valid: expected a UUID like 1b4e28ba-2fa1-11d2-883f-0016d3cca427")
        }
        self.init(uuid)
    }

    /// The id of a UUID.
    public init(_ uuid: UUID) {
        rawValue = uuid.uuidString.lowercased()
    }

    /// A new random id.
    public static func random() -> UserID { UserID(UUID()) }

    /// An id derived from `text` (a version-4-shaped UUID from its SHA-256), for seeding tools
    /// that must make the same ids on every run. Accounts made by sign-in use ``random()``.
    public static func derived(from text: String) -> UserID {
        var bytes = Array(SHA256.hash(data: Data(text.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let uuid = bytes.withUnsafeBytes { $0.loadUnaligned(as: uuid_t.self) }
        return UserID(UUID(uuid: uuid))
    }

    public var description: String { rawValue }
}
