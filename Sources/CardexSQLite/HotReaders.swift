import Foundation
import GRDB
import NIOCore
import NIOPosix

/// Read-only connections of their own for ``SQLiteStore/readOffLoop(_:)``: the hottest reads (a
/// session per call, a lookup) run a few point queries that take tens of microseconds, and
/// borrowing a reader from GRDB's pool costs about as much again (its semaphore and locks, and a
/// schema check that is a read transaction of its own). Taking one of these is one lock.
///
/// The reads run on ``threads``, so a store opens at most one connection per thread: one is
/// opened when a read finds none idle. The schema is only changed by the migrations run before
/// any of these open, so they never need to check it. Each reads the accounts file through a
/// page cache of its own sized for the pages these reads touch
/// (``SQLiteStore/Configuration/hotReadCacheBytes``), not through a map.
final class HotReaders: Sendable {
    /// One reader thread per core (at least two). The reads are mostly CPU (pages in the page
    /// cache): more threads than cores only switch between each other. Measured
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

    private let connections: IdleConnections

    /// `configuration`: the pool's (busy timeout, attached accounts file) with the hot reads' page
    /// cache; made read-only here.
    init(path: String, configuration: GRDB.Configuration) {
        var configuration = configuration
        configuration.readonly = true
        configuration.label = "hot reader"
        connections = IdleConnections(path: path, configuration: configuration)
    }

    /// Runs `body` in a read transaction on an idle connection (a new one when none is), on the
    /// calling thread: one of ``threads``. The transaction begins and ends through statements
    /// kept on the connection.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try connections.with { queue in
            try queue.inDatabase { db in
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
    }
}
