import CardexCore
import CardexNotify
import CardexTestSupport
import Foundation
import FramedRPCTestSupport
import Logging
import Testing

@Suite("NotificationWorker: sealed bodies")
struct NotificationWorkerSealingTests {
    static let phone = "+4915123456789"
    static let code = "Your Cardex code is 654321"

    /// Stored bodies that do not open with the worker's sealer.
    enum Unopenable: String, CaseIterable {
        case tampered, otherKey, otherRecipient, otherKind, newerForm

        func stored() throws -> String {
            let sealed = try Fixtures.sealer.seal(code, kind: .verificationCode, recipient: phone)
            switch self {
            case .tampered:
                var bytes = Data(base64Encoded: String(sealed.dropFirst(MessageSealer.prefix.count)))!
                bytes[bytes.startIndex + 20] ^= 0x80
                return MessageSealer.prefix + bytes.base64EncodedString()
            case .otherKey:
                return try MessageSealer(secret: Data(repeating: 9, count: 32)).seal(code, kind: .verificationCode, recipient: phone)
            case .otherRecipient:
                return try Fixtures.sealer.seal(code, kind: .verificationCode, recipient: "+4915100000000")
            case .otherKind:
                return try Fixtures.sealer.seal(code, kind: .notice, recipient: phone)
            case .newerForm:
                return "sealed:v2:" + sealed.dropFirst(MessageSealer.prefix.count)
            }
        }
    }

    @Test("the notifier gets a sealed body opened, in plain text")
    func deliversPlainText() async throws {
        let clock = ManualClock(Fixtures.created)
        let store = FakeOutboxStore()
        let id = await store.queue(to: Self.phone, body: Self.code, at: clock.now())
        #expect(await store.message(id)?.body.hasPrefix(MessageSealer.prefix) == true)
        let notifier = ScriptedNotifier()
        let worker = NotificationWorker(store: store, notifier: notifier, sealer: Fixtures.sealer, clock: clock, logger: quietLogger)

        #expect(try await worker.drainOnce() == 1)
        #expect(notifier.bodies == [Self.code])
        #expect(await store.deliveredIDs == [id])
    }

    @Test("a sealed body that does not open is given up at once, never delivered; the rest still go", arguments: Unopenable.allCases)
    func givesUpUnopenable(_ case: Unopenable) async throws {
        let clock = ManualClock(Fixtures.created)
        let store = FakeOutboxStore()
        let bad = await store.queue(to: Self.phone, body: try `case`.stored(), sealedWith: nil, at: clock.now())
        let good = await store.queue(to: Self.phone, body: Self.code, at: clock.now())
        let notifier = ScriptedNotifier()
        let (logger, logs) = RecordingLogHandler.logger()
        let worker = NotificationWorker(store: store, notifier: notifier, sealer: Fixtures.sealer, clock: clock, logger: logger)

        #expect(try await worker.drainOnce() == 1)
        #expect(notifier.calls == [good], "the unopenable message never reaches the notifier")
        #expect(await store.isGivenUp(bad))
        let failure = try #require(await store.failures.first)
        #expect(failure.id == bad && failure.retryAt == nil)
        #expect(failure.error.contains("outbox body") && !failure.error.contains("654321"))
        let line = try #require(logs.lines.first { $0.level == .error })
        #expect(line.metadata["outbox.id"] == "\(bad)" && line.message.contains("cannot be opened"))
        #expect(!logs.lines.contains { $0.text.contains("654321") || $0.text.contains(Self.phone) }, "neither body nor recipient is logged")
        #expect(try await worker.drainOnce() == 0, "given up: never tried again")
    }

    @Test("a plain body, queued before sealing existed, is delivered as it is")
    func deliversLegacyPlainBody() async throws {
        let clock = ManualClock(Fixtures.created)
        let store = FakeOutboxStore()
        let id = await store.queue(to: Self.phone, body: Self.code, sealedWith: nil, at: clock.now())
        let notifier = ScriptedNotifier()
        let (logger, logs) = RecordingLogHandler.logger()
        let worker = NotificationWorker(store: store, notifier: notifier, sealer: Fixtures.sealer, clock: clock, logger: logger)

        #expect(try await worker.drainOnce() == 1)
        #expect(notifier.bodies == [Self.code])
        #expect(await store.deliveredIDs == [id])
        #expect(logs.lines.contains { $0.level == .notice && $0.metadata["outbox.id"] == "\(id)" })
    }
}
