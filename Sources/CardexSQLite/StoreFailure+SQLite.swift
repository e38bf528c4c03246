import CardexCore
import GRDB

extension StoreFailure {
    /// `error` as a ``StoreFailure`` when it is SQLite's; nil for any other error (a use case's
    /// own, which passes unchanged). The description has SQLite's result code and message, not
    /// the statement's arguments.
    init?(sqlite error: any Error) {
        guard let error = error as? DatabaseError else { return nil }
        let kind: Kind =
            switch error.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_NOMEM, .SQLITE_CANTOPEN: .unavailable
            case .SQLITE_INTERRUPT: .timeout
            default: .failed
            }
        self.init(kind, "SQLite error \(error.extendedResultCode.rawValue): \(error.message ?? "no message")")
    }
}

extension SQLiteStore {
    /// Runs `work`, turning SQLite's errors into ``StoreFailure``s; others pass unchanged.
    func translatingFailures<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch {
            throw StoreFailure(sqlite: error) ?? error
        }
    }
}
