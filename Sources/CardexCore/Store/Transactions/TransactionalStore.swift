/// A backend as the use-case layer sees it: it runs transactions and persists; it decides nothing.
///
/// Guarantees every backend gives:
/// - ``write(_:)`` runs `body` in one transaction: everything it wrote commits when it returns,
///   nothing when it throws. Writes of concurrent transactions do not interleave within a person:
///   a transaction that appends to a person's events sees the sequence the last committed one left.
/// - ``read(_:)`` runs `body` against one consistent snapshot; ``readEach(_:)`` runs each read
///   of `body` against a consistent snapshot of its own.
/// - Neither runs store work on the caller's thread (which may be an event loop).
///
/// `body` must not start another transaction of the same store and wait for it. A write's `body`
/// may run more than once (PostgreSQL reruns a transaction that conflicted with another, from
/// scratch, after rolling it back): it must do only store work, and keep nothing outside itself,
/// until it returns.
public protocol TransactionalStore: Sendable {
    /// Runs `body` in a read transaction and returns what it returns.
    func read<T: Sendable>(_ body: @escaping @Sendable (any ReadTransaction) async throws -> T) async throws -> T

    /// Runs `body` in a write transaction, committed when it returns and rolled back when it throws.
    func write<T: Sendable>(_ body: @escaping @Sendable (any WriteTransaction) async throws -> T) async throws -> T

    /// Runs `body` with each of its reads on the latest committed state, without a snapshot
    /// common to them: for a use case whose every answer comes from one read, on a backend where
    /// opening and closing a transaction costs more than the read. A default runs ``read(_:)``.
    func readEach<T: Sendable>(_ body: @escaping @Sendable (any ReadTransaction) async throws -> T) async throws -> T
}

extension TransactionalStore {
    public func readEach<T: Sendable>(_ body: @escaping @Sendable (any ReadTransaction) async throws -> T) async throws -> T {
        try await read(body)
    }
}

/// What a read transaction answers: rows as domain values, no rules applied. Valid only inside
/// the `body` it was passed to.
public protocol ReadTransaction: AnyObject, AccountReading, CodeAndSessionReading, CardReading, RelationReading, OwnerRowsReading,
    ShareReading, BookReading, GroupReading, EventReading, NumberReading, PresenceReading
{}

/// What a write transaction does besides reading.
public protocol WriteTransaction: ReadTransaction, AccountWriting, CardWriting, EventWriting, OutboxWriting, ShareWriting,
    BookWriting, GroupWriting
{}
