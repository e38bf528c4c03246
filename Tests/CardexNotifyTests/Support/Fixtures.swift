import CardexCore
import Foundation

/// Values shared by the tests.
enum Fixtures {
    /// 2025-06-15T15:06:40Z.
    static let created = Date(timeIntervalSince1970: 1_750_000_000)
    /// `created` as the adapters write it.
    static let createdText = "2025-06-15T15:06:40Z"

    /// The worker's sealer in the tests, and the one ``FakeOutboxStore`` seals with.
    static let sealer = MessageSealer(secret: Data(repeating: 0xA5, count: 32))

    /// A verification-code message.
    static func message(id: Int64 = 42, body: String = "Your Cardex code is 123456") -> OutboxMessage {
        OutboxMessage(
            id: id, kind: .verificationCode, recipient: "+4915123456789", body: body,
            createdAt: created, attempts: 0)
    }

    /// A fresh directory under the system's temporary directory (not created).
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("cardex-notify-tests-\(UUID().uuidString)", isDirectory: true)
    }
}
