import CardexCore
import CardexNotify
import Foundation
import Synchronization

/// A notifier that keeps what it delivers, so tests read verification codes the way a person
/// reads their SMS. While `failing` is set it refuses every delivery, keeping what it refused
/// (the message then stays queued).
final class CapturingNotifier: Notifier {
    private let state = Mutex<(delivered: [OutboxMessage], refused: [OutboxMessage], failing: Bool)>(([], [], false))

    init(failing: Bool = false) {
        state.withLock { $0.failing = failing }
    }

    func deliver(_ message: OutboxMessage) async throws {
        try state.withLock { state in
            if state.failing {
                state.refused.append(message)
                throw DeliveryRefused()
            }
            state.delivered.append(message)
        }
    }

    var delivered: [OutboxMessage] { state.withLock { $0.delivered } }
    /// Messages it was handed while failing, as handed (bodies opened), oldest first.
    var refused: [OutboxMessage] { state.withLock { $0.refused } }

    /// Starts or stops refusing deliveries.
    func setFailing(_ failing: Bool) {
        state.withLock { $0.failing = failing }
    }

    /// The code in the newest message to `phone`, waiting (bounded) for the worker to deliver it.
    func code(for phone: String, after count: Int = 0) async throws -> String {
        for _ in 0..<500 {
            if let message = delivered.filter({ $0.recipient == phone }).dropFirst(count).last,
                let range = message.body.range(of: #"\d{6}"#, options: .regularExpression)
            {
                return String(message.body[range])
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw DeliveryRefused()
    }

    /// The code in the first message to `phone` (E.164) among those delivered after the first
    /// `count` messages to anyone: take `count` from ``delivered`` before requesting the code, so
    /// an earlier code is never taken for it.
    func code(for phone: String, amongDeliveredAfter count: Int) async throws -> String {
        for _ in 0..<500 {
            if let message = delivered.dropFirst(count).first(where: { $0.recipient == phone && $0.kind == .verificationCode }),
                let range = message.body.range(of: #"\d{6}"#, options: .regularExpression)
            {
                return String(message.body[range])
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw DeliveryRefused()
    }

    /// Messages delivered to `phone`.
    func messages(to phone: String) -> [OutboxMessage] {
        delivered.filter { $0.recipient == phone }
    }

    struct DeliveryRefused: Error {}
}
