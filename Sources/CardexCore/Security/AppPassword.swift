import Crypto
import Foundation

/// An app password: the secret of an app-password session (``DeviceSession/Kind/appPassword``),
/// typed by a person into their contacts app as the HTTP Basic password. 100 random bits as 20
/// lowercase base32 characters, shown in groups of four (`abcd-efgh-ijkl-mnop-qrst`), given
/// once and stored only as the SHA-256 of its characters.
public struct AppPassword: Sendable, Hashable {
    /// The 20 characters, lowercase, without dashes.
    public let characters: String

    /// Random characters in a password.
    public static let length = 20
    /// Characters per group as shown.
    static let groupLength = 4
    /// RFC 4648 base32 in lowercase: no 0, 1, 8 or 9 to mistake for o, l, b or g.
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")

    /// The password a person typed, with dashes and spaces left out and letters lowercased, so
    /// `ABCD EFGH…` and `abcd-efgh-…` are the same password; `nil` when what is left is not 20
    /// base32 characters, so no malformed guess reaches the store.
    public init?(typed text: String) {
        guard text.utf8.count <= 64 else { return nil }
        let characters = text.lowercased().filter { $0 != "-" && $0 != " " }
        guard characters.count == Self.length, characters.allSatisfy(Self.alphabet.contains) else { return nil }
        self.characters = characters
    }

    private init(characters: String) {
        self.characters = characters
    }

    /// A new password from the system CSPRNG.
    public static func generate() -> AppPassword {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        // The low 5 bits of a uniform random byte are uniform: one character each.
        return AppPassword(characters: String(bytes.prefix(length).map { alphabet[Int($0 & 0x1f)] }))
    }

    /// The password as shown: five groups of four characters joined by dashes.
    public var text: String {
        let characters = Array(characters)
        return stride(from: 0, to: characters.count, by: Self.groupLength)
            .map { String(characters[$0..<min($0 + Self.groupLength, characters.count)]) }
            .joined(separator: "-")
    }

    /// What the store keeps: SHA-256 of the characters. They are random and long enough that a
    /// plain hash suffices, as for ``SessionToken``.
    public var hash: Data {
        Data(SHA256.hash(data: Data(characters.utf8)))
    }
}
