import CardexCore
import Foundation
import GRDB
import NIOPosix
import Synchronization

/// The SQLite backend: one WAL database file through a GRDB `DatabasePool`. Use cases reach it
/// as a ``TransactionalStore``; the notification worker as an ``OutboxStore``; the lookup
/// budgets as a ``LookupStore``.
///
/// Guarantees: every method is one transaction; a committed write survives a crash or power loss
/// (`synchronous=FULL`; GRDB's pool would default to NORMAL, which can lose the last commits);
/// readers never block the writer (WAL). Writers wait up to ``Configuration/busyTimeout`` for
/// another process holding the file. Thread-safe: call it from any task.
public final class SQLiteStore: Sendable {
    /// Where and how the database is opened.
    public struct Configuration: Sendable {
        /// The database file; its directory is created if missing.
        public var path: String
        /// How long a write waits for a lock held by another connection or process.
        public var busyTimeout: Duration
        /// SQLite's page cache, per connection (the pool has one writer and up to five readers).
        /// Pages it holds are read without a system call.
        public var pageCacheBytes: Int
        /// How much of the file SQLite maps into memory (capped by SQLite's own maximum, 2 GiB
        /// on this platform): mapped pages are read without a system call or a copy.
        public var memoryMapBytes: Int

        /// Creates a configuration; the busy timeout defaults to 5 seconds, the page cache to
        /// 64 MiB per connection, the memory map to 1 GiB.
        public init(path: String, busyTimeout: Duration = .seconds(5), pageCacheBytes: Int = 64 << 20, memoryMapBytes: Int = 1 << 30) {
            self.path = path
            self.busyTimeout = busyTimeout
            self.pageCacheBytes = pageCacheBytes
            self.memoryMapBytes = memoryMapBytes
        }
    }

    let pool: DatabasePool
    private let hotReaders: HotReaders
    /// A TRUNCATE checkpoint could not finish after a body was erased (see `scrubJournal`).
    let journalScrubOwed = Atomic(false)

    /// Opens (creating if needed) the database and brings its schema up to date.
    /// - Throws: GRDB's error when the file cannot be opened or migrated.
    public init(_ configuration: Configuration) throws {
        try Self.createPrivately(configuration.path)
        var options = GRDB.Configuration()
        options.busyMode = .timeout(configuration.busyTimeout.timeInterval)
        let (cacheKiB, mapBytes) = (configuration.pageCacheBytes / 1024, configuration.memoryMapBytes)
        options.prepareDatabase { db in
            // secure_delete: deleted and overwritten content is zeroed, so an erased code
            // leaves no bytes behind in the database file.
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB); PRAGMA mmap_size = \(mapBytes); PRAGMA secure_delete = ON")
        }
        pool = try DatabasePool(path: configuration.path, configuration: options)
        hotReaders = HotReaders(path: configuration.path, configuration: options)
        // The pool sets NORMAL on its one writer connection when it enables WAL, after any
        // prepareDatabase hook; so FULL is set here, on that connection, once it exists.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try Schema.migrator.migrate(pool)
    }

    /// Opens the store as ``init(_:)`` does, on a thread of NIO's shared blocking pool instead of
    /// the caller's: opening runs the migrations, whose commits wait for the disk, and an async
    /// caller runs on Swift's few cooperative threads (or an event loop), which must not wait.
    /// - Throws: GRDB's error when the file cannot be opened or migrated.
    public static func open(_ configuration: Configuration) async throws -> SQLiteStore {
        try await NIOThreadPool.singleton.runIfActive { try SQLiteStore(configuration) }
    }

    /// Runs `body` in a read transaction on a reader thread (``HotReaders/threads``), never on the
    /// caller's: the caller may be an event loop, and a read of a cold page would stall every
    /// call on its connection. For the hottest reads (a session per call, a lookup), a few indexed
    /// point queries that take tens of microseconds: one hop to a reader thread and back, where
    /// GRDB's `async` read costs more (a dispatch queue behind a semaphore actor, and a schema
    /// check per read). It runs on a ``HotReaders`` connection.
    func readOffLoop<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await HotReaders.threads.runIfActive { [hotReaders] in try hotReaders.read(body) }
    }

    /// The journal mode and synchronous level the writer connection runs with, for checks.
    public func durabilitySettings() async throws -> (journalMode: String, synchronous: Int) {
        try await pool.write { db in
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
            let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
            return (mode, synchronous)
        }
    }
}

extension SQLiteStore: OutboxStore, LookupStore {}
