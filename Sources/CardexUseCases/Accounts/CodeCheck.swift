import CardexCore
import Foundation

/// Checking a verification code: the newest active code for the number and purpose, unexpired,
/// for the same requester, compared in constant time. A wrong try is recorded (and the code
/// voided after the last one); the caller commits whatever the outcome, so wrong tries count.
enum CodeCheck {
    /// Checks `codeHash`; `nil` when it is right (the code is used up), else the error to give.
    static func consume(
        phone: PhoneNumber, purpose: CodePurpose, codeHash: Data, requester: UserID?, policy: RegistrationPolicy,
        _ changes: Changes
    ) async throws -> CardexError? {
        let transaction = changes.transaction
        guard
            var code = try await transaction.newestActiveCode(phone: phone, purpose: purpose),
            code.expiresAt > changes.now,
            code.requester == requester
        else {
            return .permissionDenied(
                "no valid code for \(phone): it expired, was used, or had \(policy.maxAttempts) wrong tries; request a new one")
        }
        if constantTimeEqual(code.codeHash, codeHash) {
            code.state = .used
            try await transaction.updateCode(code)
            return nil
        }
        code.attempts += 1
        let remaining = policy.maxAttempts - code.attempts
        if remaining <= 0 { code.state = .void }
        try await transaction.updateCode(code)
        return .permissionDenied(
            remaining > 0
                ? "wrong code for \(phone): \(remaining) tries left"
                : "wrong code for \(phone): that was the last try, the code is void; request a new one")
    }

    private static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The result of a transaction that commits even when it refuses (to record a wrong try).
enum Outcome<Value: Sendable>: Sendable {
    case done(Value)
    case refused(CardexError)

    func get() throws -> Value {
        switch self {
        case .done(let value): return value
        case .refused(let error): throw error
        }
    }
}
