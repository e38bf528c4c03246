import Foundation
import GRDB
import Synchronization

/// Read-only connections of their own for ``SQLiteStore/readNow(_:)``: the hottest reads (a
/// session per call, a lookup) run a few point queries that take tens of microseconds, and
/// borrowing a reader from GRDB's pool costs about as much again (its semaphore and locks, and a
/// schema check that is a read transaction of its own). Taking one of these is one lock.
///
/// A connection is opened when a read finds none idle, up to ``maxConnections``; past that, the
/// read returns nil and the caller reads through the pool. The schema is only changed by the
/// migrations run before any of these open, so they never need to check it.
final class HotReaders: Sendable {
    /// At most this many connections (each with its own page cache): more than the threads that
    /// read at once.
    static let maxConnections = 8

    private struct State {
        var idle: [DatabaseQueue] = []
        var opened = 0
    }

    private let path: String
    private let configuration: GRDB.Configuration
    private let state = Mutex(State())

    /// `configuration`: the pool's (busy timeout, page cache, memory map); made read-only here.
    init(path: String, configuration: GRDB.Configuration) {
        var configuration = configuration
        configuration.readonly = true
        configuration.label = "hot reader"
        self.path = path
        self.configuration = configuration
    }

    /// Runs `body` in a read transaction on an idle connection, on the calling thread; nil when
    /// all ``maxConnections`` are busy. The transaction begins and ends through statements kept
    /// on the connection.
    func read<T>(_ body: (Database) throws -> T) throws -> T? {
        guard let queue = try take() else { return nil }
        defer { state.withLock { $0.idle.append(queue) } }
        return try queue.inDatabase { db in
            try db.cachedStatement(sql: "BEGIN DEFERRED TRANSACTION").execute()
            do {
                let result = try body(db)
                try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
                return result
            } catch {
                try? db.cachedStatement(sql: "ROLLBACK TRANSACTION").execute()
                throw error
            }
        }
    }

    /// An idle connection, or a new one when there are fewer than the maximum.
    private func take() throws -> DatabaseQueue? {
        let (idle, mayOpen) = state.withLock { state -> (DatabaseQueue?, Bool) in
            if let queue = state.idle.popLast() { return (queue, false) }
            guard state.opened < Self.maxConnections else { return (nil, false) }
            state.opened += 1
            return (nil, true)
        }
        if let idle { return idle }
        guard mayOpen else { return nil }
        do {
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            state.withLock { $0.opened -= 1 }
            throw error
        }
    }
}
