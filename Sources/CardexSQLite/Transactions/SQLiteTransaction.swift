import CardexCore
import Foundation
import GRDB

/// A transaction of ``SQLiteStore`` as the use-case layer sees it: each call runs its statements
/// at once on the connection's thread (see ``ConnectionThreadExecutor``), so the `async` calls
/// never suspend. Valid only inside the `body` it was passed to.
///
/// `@unchecked Sendable`: it is used only on its connection's thread, where GRDB's closure gave
/// the connection and ``ConnectionThreadExecutor`` runs the use case.
final class SQLiteTransaction: WriteTransaction, @unchecked Sendable {
    let db: Database
    /// Reads ahead the index pages an upload's inserts change; writes only.
    let prefetcher: BookIndexPrefetcher?
    /// Encodes event payloads as GRDB encodes ``EventRecord``'s JSON column; made once per
    /// transaction (a card update can append thousands of events).
    private(set) lazy var eventEncoder = EventRecord.databaseJSONEncoder(for: "payload")

    init(_ db: Database, prefetcher: BookIndexPrefetcher? = nil) {
        self.db = db
        self.prefetcher = prefetcher
    }
}

extension SQLiteStore: TransactionalStore {
    /// - Throws: what `body` throws; ``StoreFailure`` for SQLite's own failures.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any ReadTransaction) async throws -> T) async throws -> T {
        try await translatingFailures {
            try await readOffLoop { db in
                let transaction = SQLiteTransaction(db)
                return try ConnectionThreadExecutor().run { try await body(transaction) }
            }
        }
    }

    /// - Throws: what `body` throws; ``StoreFailure`` for SQLite's own failures.
    public func write<T: Sendable>(_ body: @escaping @Sendable (any WriteTransaction) async throws -> T) async throws -> T {
        try await translatingFailures {
            try await pool.write { [bookPrefetcher] db in
                let transaction = SQLiteTransaction(db, prefetcher: bookPrefetcher)
                return try ConnectionThreadExecutor().run { try await body(transaction) }
            }
        }
    }
}
