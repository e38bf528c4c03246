import CardexCore
import Foundation
import PostgresNIO

extension PostgresTransaction {
    func forgetCodeRequests(before time: Date) async throws {
        try await execute("DELETE FROM code_requests WHERE requested_at <= \(time)")
    }

    func insertCodeRequest(phone: PhoneNumber, clientAddress: String, at time: Date) async throws {
        try await execute(
            "INSERT INTO code_requests (phone, client_address, requested_at) VALUES (\(phone.e164), \(clientAddress), \(time))")
    }

    func voidActiveCodes(phone: PhoneNumber, purpose: CodePurpose) async throws {
        try await execute(
            """
            UPDATE verification_codes SET state = \(StoredCode.State.void.rawValue)
            WHERE phone = \(phone.e164) AND purpose = \(purpose.rawValue) AND state = \(StoredCode.State.active.rawValue)
            """)
    }

    func insertCode(_ code: StoredCode) async throws {
        try await execute(
            """
            INSERT INTO verification_codes (phone, purpose, code_hash, requester_id, created_at, expires_at, attempts, state)
            VALUES (\(code.phone.e164), \(code.purpose.rawValue), \(code.codeHash), \(code.requester?.rawValue), \(code.createdAt),
                    \(code.expiresAt), \(code.attempts), \(code.state.rawValue))
            """)
    }

    func updateCode(_ code: StoredCode) async throws {
        guard let id = code.id else { return }  // never stored: nothing to update
        try await execute(
            """
            UPDATE verification_codes SET phone = \(code.phone.e164), purpose = \(code.purpose.rawValue), code_hash = \(code.codeHash),
                requester_id = \(code.requester?.rawValue), created_at = \(code.createdAt), expires_at = \(code.expiresAt),
                attempts = \(code.attempts), state = \(code.state.rawValue)
            WHERE id = \(id)
            """)
    }

    func insertSession(_ session: DeviceSession, tokenHash: Data) async throws {
        try await execute(
            """
            INSERT INTO sessions (id, user_id, token_hash, device_name, created_at, last_used_at, kind)
            VALUES (\(session.id), \(session.userID.rawValue), \(tokenHash), \(session.deviceName), \(session.createdAt),
                    \(session.lastUsedAt), \(session.kind.rawValue))
            """)
    }

    func touchSession(_ id: String, at time: Date) async throws -> Bool {
        !(try await rows("UPDATE sessions SET last_used_at = \(time) WHERE id = \(id) RETURNING 1").isEmpty)
    }

    func deleteSession(_ id: String, of user: UserID) async throws -> Bool {
        !(try await rows("DELETE FROM sessions WHERE id = \(id) AND user_id = \(user.rawValue) RETURNING 1").isEmpty)
    }

    func newestActiveCode(phone: PhoneNumber, purpose: CodePurpose) async throws -> StoredCode? {
        let row = try await rows(
            """
            SELECT id, phone, purpose, code_hash, requester_id, created_at, expires_at, attempts, state FROM verification_codes
            WHERE phone = \(phone.e164) AND purpose = \(purpose.rawValue) AND state = \(StoredCode.State.active.rawValue)
            ORDER BY id DESC LIMIT 1
            """
        ).first
        guard let row else { return nil }
        let (id, phoneColumn, purposeColumn, codeHash, requester, createdAt, expiresAt, attempts, state) = try row.decode(
            (Int64, String, String, Data, String?, Date, Date, Int, String).self)
        // A purpose this version does not know is no code of it.
        guard let purpose = CodePurpose(rawValue: purposeColumn) else { return nil }
        return StoredCode(
            id: id, phone: PhoneNumber(e164: phoneColumn), purpose: purpose, codeHash: codeHash, requester: requester.map(UserID.init(rawValue:)),
            createdAt: createdAt, expiresAt: expiresAt, attempts: attempts, state: StoredCode.State(rawValue: state) ?? .void)
    }

    func requestedCodePhones(of user: UserID) async throws -> [PhoneNumber] {
        try await rows("SELECT phone FROM verification_codes WHERE requester_id = \(user.rawValue) ORDER BY id")
            .map { PhoneNumber(e164: try $0.decode(String.self)) }
    }

    func codeRequests(of requester: CodeRequester) async throws -> (count: Int, oldest: Date?) {
        let query: PostgresQuery =
            switch requester {
            case .phone(let phone): "SELECT count(*), min(requested_at) FROM code_requests WHERE phone = \(phone.e164)"
            case .clientAddress(let address):
                "SELECT count(*), min(requested_at) FROM code_requests WHERE client_address = \(address)"
            }
        guard let row = try await rows(query).first else { return (0, nil) }
        let (count, oldest) = try row.decode((Int, Date?).self)
        return (count, oldest)
    }

    func session(tokenHash: Data) async throws -> DeviceSession? {
        try await rows("SELECT \(unescaped: Self.sessionColumns) FROM sessions WHERE token_hash = \(tokenHash)").first.map(Self.session)
    }

    func sessions(of user: UserID) async throws -> [DeviceSession] {
        try await rows(
            "SELECT \(unescaped: Self.sessionColumns) FROM sessions WHERE user_id = \(user.rawValue) ORDER BY created_at, insertion_order"
        ).map(Self.session)
    }

    private static let sessionColumns = "id, user_id, device_name, created_at, last_used_at, kind"

    /// A kind this version does not know opens nothing, so it reads as an app password (which no
    /// RPC accepts) rather than as a device.
    private static func session(_ row: PostgresRow) throws -> DeviceSession {
        let (id, user, deviceName, createdAt, lastUsedAt, kind) = try row.decode((String, String, String, Date, Date, String).self)
        return DeviceSession(
            id: id, userID: UserID(rawValue: user), deviceName: deviceName, createdAt: createdAt, lastUsedAt: lastUsedAt,
            kind: DeviceSession.Kind(rawValue: kind) ?? .appPassword)
    }
}
