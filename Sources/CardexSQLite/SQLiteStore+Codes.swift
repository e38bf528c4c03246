import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    public func issueCode(_ issue: CodeIssue, policy: RegistrationPolicy, now: Date) async throws {
        let windowStart = now.addingTimeInterval(-policy.resendWindow.timeInterval)
        try await pool.write { db in
            // Requests older than the window no longer count: forget them, so the table stays bounded.
            try CodeRequestRecord.filter(CodeRequestRecord.Columns.requestedAt <= windowStart).deleteAll(db)
            try Self.checkLimit(
                db, CodeRequestRecord.Columns.phone == issue.phone.e164, max: policy.maxRequestsPerNumber,
                what: "this number", policy: policy, now: now)
            try Self.checkLimit(
                db, CodeRequestRecord.Columns.clientAddress == issue.clientAddress, max: policy.maxRequestsPerAddress,
                what: "this client address", policy: policy, now: now)

            var request = CodeRequestRecord(phone: issue.phone.e164, clientAddress: issue.clientAddress, requestedAt: now)
            try request.insert(db)
            // A new code supersedes the earlier ones for the same number and purpose.
            try CodeRecord
                .filter(CodeRecord.Columns.phone == issue.phone.e164 && CodeRecord.Columns.purpose == issue.purpose.rawValue)
                .filter(CodeRecord.Columns.state == CodeRecord.State.active.rawValue)
                .updateAll(db, CodeRecord.Columns.state.set(to: CodeRecord.State.void.rawValue))
            var code = CodeRecord(
                phone: issue.phone.e164, purpose: issue.purpose.rawValue, codeHash: issue.codeHash,
                requesterId: issue.requester?.rawValue, createdAt: now,
                expiresAt: now.addingTimeInterval(policy.codeLifetime.timeInterval), attempts: 0, state: .active)
            try code.insert(db)
            var message = OutboxRecord(kind: .verificationCode, recipient: issue.phone, body: issue.messageBody, now: now)
            try message.insert(db)
        }
    }

    private static func checkLimit(
        _ db: Database, _ filter: SQLExpression, max: Int, what: String, policy: RegistrationPolicy, now: Date
    ) throws {
        let requests = CodeRequestRecord.filter(filter)
        guard try requests.fetchCount(db) >= max else { return }
        let oldest = try Date.fetchOne(db, requests.select(min(CodeRequestRecord.Columns.requestedAt))) ?? now
        let retryAfter = Int(oldest.addingTimeInterval(policy.resendWindow.timeInterval).timeIntervalSince(now).rounded(.up))
        throw CardexError.resourceExhausted(
            "too many codes requested for \(what): at most \(max) per \(Int(policy.resendWindow.timeInterval / 60)) minutes; try again in \(retryAfter) s",
            retryAfterSeconds: Swift.max(retryAfter, 1))
    }

    /// What checking a code found.
    enum CodeCheck {
        case accepted
        case rejected(CardexError)
    }

    /// Checks `codeHash` against the newest active code for `phone` and `purpose`, recording the
    /// try. The caller commits the transaction whatever the outcome, so wrong tries count.
    static func consumeCode(
        _ db: Database, phone: PhoneNumber, purpose: CodePurpose, codeHash: Data, requester: UserID?,
        policy: RegistrationPolicy, now: Date
    ) throws -> CodeCheck {
        let noCode = CardexError.permissionDenied(
            "no valid code for \(phone): it expired, was used, or had \(policy.maxAttempts) wrong tries; request a new one")
        guard
            var code = try CodeRecord
                .filter(CodeRecord.Columns.phone == phone.e164 && CodeRecord.Columns.purpose == purpose.rawValue)
                .filter(CodeRecord.Columns.state == CodeRecord.State.active.rawValue)
                .order(CodeRecord.Columns.id.desc)
                .fetchOne(db),
            code.expiresAt > now,
            code.requesterId == requester?.rawValue
        else { return .rejected(noCode) }

        if constantTimeEqual(code.codeHash, codeHash) {
            code.state = .used
            try code.update(db)
            return .accepted
        }
        code.attempts += 1
        let remaining = policy.maxAttempts - code.attempts
        if remaining <= 0 { code.state = .void }
        try code.update(db)
        return .rejected(.permissionDenied(
            remaining > 0
                ? "wrong code for \(phone): \(remaining) tries left"
                : "wrong code for \(phone): that was the last try, the code is void; request a new one"))
    }

    private static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
