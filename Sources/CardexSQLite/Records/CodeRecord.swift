import CardexCore
import Foundation
import GRDB

/// A row of `verification_codes`. Only the keyed hash of the code is stored.
struct CodeRecord: Codable, Sendable {
    /// `active` until used, superseded or voided by too many wrong tries.
    enum State: String, Codable, Sendable {
        case active, used, void
    }

    var id: Int64?
    var phone: String
    var purpose: String
    var codeHash: Data
    var requesterId: String?
    var createdAt: Date
    var expiresAt: Date
    var attempts: Int
    var state: State
}

extension CodeRecord: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "verification_codes"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let id = Column("id")
        static let phone = Column("phone")
        static let purpose = Column("purpose")
        static let state = Column("state")
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A row of `code_requests`: one code request, counted against the resend limits.
struct CodeRequestRecord: Codable, Sendable {
    var id: Int64?
    var phone: String
    var clientAddress: String
    var requestedAt: Date
}

extension CodeRequestRecord: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "code_requests"
    static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    enum Columns {
        static let phone = Column("phone")
        static let clientAddress = Column("client_address")
        static let requestedAt = Column("requested_at")
    }
}

extension CodeRecord {
    /// The row of `code`.
    init(_ code: StoredCode) {
        self.init(
            id: code.id, phone: code.phone.e164, purpose: code.purpose.rawValue, codeHash: code.codeHash,
            requesterId: code.requester?.rawValue, createdAt: code.createdAt, expiresAt: code.expiresAt, attempts: code.attempts,
            state: State(rawValue: code.state.rawValue) ?? .void)
    }

    /// The code this row holds; `nil` for a purpose this version does not know.
    var stored: StoredCode? {
        guard let purpose = CodePurpose(rawValue: purpose) else { return nil }
        return StoredCode(
            id: id, phone: PhoneNumber(e164: phone), purpose: purpose, codeHash: codeHash, requester: requesterId.map(UserID.init(rawValue:)),
            createdAt: createdAt, expiresAt: expiresAt, attempts: attempts, state: StoredCode.State(rawValue: state.rawValue) ?? .void)
    }
}
