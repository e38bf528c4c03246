import CardexCore
import Foundation
import Logging
import PostgresNIO

/// A transaction of ``PostgresStore`` as the use-case layer sees it: each call runs its
/// statements on the transaction's connection, values bound through `PostgresQuery`'s
/// interpolation. Valid only inside the `body` it was passed to (the connection goes back to the
/// pool when the body returns).
///
/// Encoded columns (`shares.fields`, `shares.entry`, `events.payload`) hold JSON of CardexCore's
/// `Codable` types, written by ``StoredJSON``; address-book entries are `BookEntry.storedJSON` and
/// cards their protobuf bytes (CardexStorage's `StoredCardCodec`), as on SQLite.
final class PostgresTransaction: WriteTransaction, Sendable {
    let connection: PostgresConnection
    let logger: Logger
    /// The store's ``PostgresStore/instance``: the origin the events appended here are announced with.
    let instance: String

    init(_ connection: PostgresConnection, logger: Logger, instance: String) {
        self.connection = connection
        self.logger = logger
        self.instance = instance
    }

    /// Runs `query` and returns its rows, all read.
    @discardableResult
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await connection.query(query, logger: logger).collect()
    }

    /// Runs a statement whose rows, if any, are not needed.
    func execute(_ query: PostgresQuery) async throws {
        try await rows(query)
    }

    /// The first column of the first row of `query`, or nil when it returned none.
    func value<Value: PostgresDecodable>(_ query: PostgresQuery, as type: Value.Type = Value.self) async throws -> Value? {
        try await rows(query).first?.decode(Value.self)
    }
}
