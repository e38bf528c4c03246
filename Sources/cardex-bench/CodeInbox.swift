import CardexCore
import CardexNotify
import Synchronization

/// A notifier that keeps the newest verification code per number, so the benchmark signs people
/// in the way a person does, by reading the code sent to them.
final class CodeInbox: Notifier {
    private let codes = Mutex<[String: String]>([:])

    func deliver(_ message: OutboxMessage) async throws {
        guard message.kind == .verificationCode,
            let range = message.body.range(of: #"\d{6}"#, options: .regularExpression)
        else { return }
        codes.withLock { $0[message.recipient] = String(message.body[range]) }
    }

    /// Waits (bounded: 10 s) for a code sent to `phone`, and forgets it.
    func take(for phone: String) async throws -> String {
        for _ in 0..<1000 {
            if let code = codes.withLock({ $0.removeValue(forKey: phone) }) { return code }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw BenchError("no verification code reached \(phone) within 10 s")
    }
}

/// A benchmark that could not run, with what went wrong.
struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
