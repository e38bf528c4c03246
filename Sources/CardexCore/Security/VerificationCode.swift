import Crypto
import Foundation

/// A 6-digit verification code, drawn from the system CSPRNG.
public struct VerificationCode: Sendable, Hashable {
    /// The digits as sent to the person.
    public let digits: String

    /// Wraps digits a client sent.
    public init(digits: String) {
        self.digits = digits
    }

    /// A new uniformly random code, `000000` to `999999`.
    public static func generate() -> VerificationCode {
        var generator = SystemRandomNumberGenerator()
        let value = Int.random(in: 0..<1_000_000, using: &generator)
        return VerificationCode(digits: String(format: "%06d", value))
    }

    /// Whether the text has the shape of a code (6 ASCII digits).
    public var isWellFormed: Bool {
        digits.utf8.count == 6 && digits.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}

/// Hashes verification codes for storage with a server-side secret key.
///
/// A code has only a million values, so a plain hash would fall to a brute force from a copy of
/// the database; HMAC-SHA256 keyed with a secret kept outside the database does not. The phone
/// and purpose are bound into the hash, so a code is good for nothing else.
public struct CodeHasher: Sendable {
    private let keyBytes: Data

    /// Creates a hasher with a secret key of at least 32 bytes.
    public init(key: Data) {
        precondition(key.count >= 32, "the code-hashing key must have at least 256 bits")
        self.keyBytes = key
    }

    /// The stored form of `code` for `phone` and `purpose`.
    public func hash(_ code: VerificationCode, phone: PhoneNumber, purpose: CodePurpose) -> Data {
        let message = Data("\(purpose.rawValue)\u{0}\(phone.e164)\u{0}\(code.digits)".utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: keyBytes)))
    }
}
