import CardexCore
import Foundation
import Testing

@Suite("MessageSealer: outbox bodies sealed with a key kept outside the database")
struct MessageSealerTests {
    static let secret = Data((0..<32).map { UInt8($0) })
    static let sealer = MessageSealer(secret: secret)
    static let body = "Your Cardex code is 123456"
    static let phone = "+15550001234"

    @Test("a sealed body opens to the text it sealed, and holds none of it")
    func roundTrip() throws {
        let stored = try Self.sealer.seal(Self.body, kind: .verificationCode, recipient: Self.phone)
        #expect(stored.hasPrefix("sealed:v1:"))
        #expect(MessageSealer.isSealed(stored))
        #expect(!stored.contains("123456") && !stored.contains("code"))
        #expect(try Self.sealer.open(stored, kind: .verificationCode, recipient: Self.phone) == Self.body)
        // Another sealer from the same secret (a restarted server) opens it too.
        #expect(try MessageSealer(secret: Self.secret).open(stored, kind: .verificationCode, recipient: Self.phone) == Self.body)
    }

    @Test("text beyond ASCII and an empty body survive sealing", arguments: ["Ada Lovelace · 名刺 shared their card 🃏", ""])
    func unicode(body: String) throws {
        let stored = try Self.sealer.seal(body, kind: .invitation, recipient: Self.phone)
        #expect(try Self.sealer.open(stored, kind: .invitation, recipient: Self.phone) == body)
    }

    @Test("two seals of one body differ (a fresh nonce each)")
    func freshNonce() throws {
        let first = try Self.sealer.seal(Self.body, kind: .verificationCode, recipient: Self.phone)
        let second = try Self.sealer.seal(Self.body, kind: .verificationCode, recipient: Self.phone)
        #expect(first != second)
    }

    @Test("a body altered anywhere does not open", arguments: [10, 14, 30, 60])
    func tampered(position: Int) throws {
        let stored = try Self.sealer.seal(Self.body, kind: .verificationCode, recipient: Self.phone)
        // Flip one bit of the decoded bytes at `position` (past the prefix: nonce, ciphertext, tag).
        var bytes = try #require(Data(base64Encoded: String(stored.dropFirst(MessageSealer.prefix.count))))
        let index = bytes.startIndex + (position % bytes.count)
        bytes[index] ^= 0x01
        let altered = MessageSealer.prefix + bytes.base64EncodedString()
        #expect(throws: MessageSealingError.notAuthentic) {
            try Self.sealer.open(altered, kind: .verificationCode, recipient: Self.phone)
        }
    }

    @Test("a body sealed under another key does not open")
    func wrongKey() throws {
        let stored = try Self.sealer.seal(Self.body, kind: .verificationCode, recipient: Self.phone)
        let other = MessageSealer(secret: Data(repeating: 1, count: 32))
        #expect(throws: MessageSealingError.notAuthentic) {
            try other.open(stored, kind: .verificationCode, recipient: Self.phone)
        }
    }

    @Test(
        "a body moved to another recipient or kind does not open",
        arguments: [
            (OutboxMessage.Kind.verificationCode, "+15550001235"),
            (.notice, phone),
            (.invitation, phone),
        ])
    func boundToRow(kind: OutboxMessage.Kind, recipient: String) throws {
        let stored = try Self.sealer.seal(Self.body, kind: .verificationCode, recipient: Self.phone)
        #expect(throws: MessageSealingError.notAuthentic) {
            try Self.sealer.open(stored, kind: kind, recipient: recipient)
        }
    }

    @Test(
        "text that is not a sealed body of this version is refused with its reason",
        arguments: [
            ("Your Cardex code is 123456", MessageSealingError.notSealed),
            ("sealed:v2:AAAA", .unknownForm("v2")),
            ("sealed:v1:not base64!", .malformed),
            ("sealed:v1:AAAA", .malformed),  // shorter than a nonce and a tag
            ("sealed:v1:", .malformed),
        ])
    func refused(stored: String, error: MessageSealingError) {
        #expect(throws: error) {
            try Self.sealer.open(stored, kind: .verificationCode, recipient: Self.phone)
        }
    }

    @Test("an error's text never holds the body")
    func errorsHideTheBody() throws {
        let stored = try Self.sealer.seal(Self.body, kind: .verificationCode, recipient: Self.phone)
        do {
            _ = try MessageSealer(secret: Data(repeating: 2, count: 32)).open(stored, kind: .verificationCode, recipient: Self.phone)
            Issue.record("opened under another key")
        } catch {
            #expect(!"\(error)".contains(stored) && !"\(error)".contains("123456"))
            #expect("\(error)".contains("code-hashing.key"))
        }
    }
}
