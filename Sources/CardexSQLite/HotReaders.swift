import Foundation
import GRDB
import NIOCore
import NIOPosix
import Synchronization

/// Read-only connections of their own for ``SQLiteStore/readOffLoop(_:)``: the hottest reads (a
/// session per call, a lookup) run a few point queries that take tens of microseconds, and
/// borrowing a reader from GRDB's pool costs about as much again (its semaphore and locks, and a
/// schema check that is a read transaction of its own). Taking one of these is one lock.
///
/// The reads run on ``threads``, as many as a store has connections, so a read always finds one
/// idle.
///
/// A connection is opened when a read finds none idle, up to ``maxConnections``; past that, the
/// read returns nil and the caller reads through the pool. The schema is only changed by the
/// migrations run before any of these open, so they never need to check it.
final class HotReaders: Sendable {
    /// At most this many connections per store (each with its own page cache): one per thread of
    /// ``threads``, which never run more reads at once.
    static let maxConnections = threadCount

    /// One reader thread per core (at least two). The reads are mostly CPU (pages in the page
    /// cache or the memory map): more threads than cores only switch between each other. Measured
    /// on 2 cores, 64 lookups in flight: 8 threads made 7,700–10,900 lookups/s, 2 threads
    /// 15,500–20,900/s, as many as reading on the event loop did (docs/BENCHMARKS.md).
    static let threadCount = max(2, System.coreCount)

    /// The threads every store's hot reads run on, shared by the stores of the process and never
    /// shut down: blocking SQLite reads stay off the event loops, and a cold page delays only the
    /// reads queued behind it on these threads, not every call of a connection.
    static let threads: NIOThreadPool = {
        let threads = NIOThreadPool(numberOfThreads: threadCount)
        threads.start()
        return threads
    }()

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
