import CardexCore
import Foundation
import GRDB
import NIOPosix
import Synchronization

/// The SQLite backend: two WAL database files through a GRDB `DatabasePool`. Use cases reach it
/// as a ``TransactionalStore``; the notification worker as an ``OutboxStore``; the lookup
/// budgets as a ``LookupStore``.
///
/// The address books are in ``Configuration/path``, every connection's `main`; everything else
/// (accounts, sessions, cards, shares, groups, events, budgets, the outbox) is in
/// ``Configuration/accountsPath``, attached as `accounts`. The books are nearly all of a large
/// database and no lookup reads them: apart, the accounts' pages stay together and cached
/// (`docs/ARCHITECTURE.md`, "Storage layout").
///
/// Guarantees: every method is one transaction; a committed write survives a crash or power loss
/// (`synchronous=FULL` on both files; GRDB's pool would default to NORMAL, which can lose the
/// last commits); readers never block the writer (WAL). A write that changes both files commits
/// the books first: a crash between the two commits can leave an address book changed without the
/// mutual contacts matched from it (matched again at its next change) or an erased account's book
/// gone with the account still there, never an erased account's book left behind. Writers wait
/// up to ``Configuration/busyTimeout`` for another process holding a file. Thread-safe: call it
/// from any task.
public final class SQLiteStore: Sendable {
    /// Where and how the database is opened.
    public struct Configuration: Sendable {
        /// The address books' file; its directory is created if missing, and the accounts file
        /// (``accountsPath``) is beside it.
        public var path: String
        /// How long a write waits for a lock held by another connection or process.
        public var busyTimeout: Duration
        /// SQLite's page cache, per connection and per file (the pool has one writer and up to
        /// five readers). Pages it holds are read without a system call.
        public var pageCacheBytes: Int
        /// How much of the accounts file the pool's connections map into memory (capped by
        /// SQLite's own maximum, 2 GiB on this platform): mapped pages are read without a system
        /// call or a copy. The books' file is read without a map: its pages are read one at a
        /// time, so the kernel's read-around of a mapped page would bring in cold neighbours.
        public var memoryMapBytes: Int
        /// SQLite's page cache for the accounts file on each connection of the hot reads (a
        /// session per call, a lookup), which read it without a map: sized to hold the pages
        /// those reads touch (the accounts file of a million people is about 340 MB), so they
        /// stay in the process's own memory. Mapped or page-cache pages of a file are the
        /// kernel's to drop when they look idle (these machines run DAMON's reclaim, which pages
        /// out file pages untouched for seconds), and a lookup of a random person touches each
        /// page rarely. Filled as pages are read.
        public var hotReadCacheBytes: Int

        /// Creates a configuration; the busy timeout defaults to 5 seconds, the page cache to
        /// 64 MiB per connection and file, the memory map to 1 GiB, the hot reads' page cache to
        /// 512 MiB per connection.
        public init(
            path: String, busyTimeout: Duration = .seconds(5), pageCacheBytes: Int = 64 << 20, memoryMapBytes: Int = 1 << 30,
            hotReadCacheBytes: Int = 512 << 20
        ) {
            self.path = path
            self.busyTimeout = busyTimeout
            self.pageCacheBytes = pageCacheBytes
            self.memoryMapBytes = memoryMapBytes
            self.hotReadCacheBytes = hotReadCacheBytes
        }

        /// The accounts file: `cardex-accounts.sqlite` beside `cardex.sqlite`.
        public var accountsPath: String {
            (path as NSString).deletingPathExtension + "-accounts.sqlite"
        }
    }

    let pool: DatabasePool
    private let hotReaders: HotReaders
    /// Reads ahead what an upload's inserts change in the books' index of numbers.
    let bookPrefetcher: BookIndexPrefetcher
    /// A TRUNCATE checkpoint could not finish after a body was erased (see `scrubJournal`).
    let journalScrubOwed = Atomic(false)

    /// Opens (creating if needed) the database files and brings their schema up to date.
    /// - Throws: GRDB's error when a file cannot be opened or migrated.
    public init(_ configuration: Configuration) throws {
        try Self.createPrivately(configuration.path)
        try Self.createPrivately(configuration.accountsPath)
        let options = Self.options(configuration)
        try Self.migrate(configuration.path, options)
        pool = try DatabasePool(path: configuration.path, configuration: options)
        hotReaders = HotReaders(path: configuration.path, configuration: Self.options(configuration, hotReads: true))
        bookPrefetcher = BookIndexPrefetcher(path: configuration.path)
        // The pool sets NORMAL on its one writer connection when it enables WAL, after any
        // prepareDatabase hook; so FULL is set here, on that connection, once it exists.
        try pool.writeWithoutTransaction { db in
            try Schema.set("synchronous = FULL", on: db)
        }
    }

    /// What every connection to the store's files is opened with: the accounts file attached,
    /// and each file's page cache, memory map and `secure_delete` (deleted and overwritten
    /// content is zeroed, so an erased code leaves no bytes behind in either file). With
    /// `hotReads`, the hot readers' accounts file: a page cache of
    /// ``Configuration/hotReadCacheBytes`` and no map.
    static func options(_ configuration: Configuration, hotReads: Bool = false) -> GRDB.Configuration {
        var options = GRDB.Configuration()
        options.busyMode = .timeout(configuration.busyTimeout.timeInterval)
        let (accountsPath, cacheKiB) = (configuration.accountsPath, configuration.pageCacheBytes / 1024)
        let (accountsCacheKiB, mapBytes) = hotReads ? (configuration.hotReadCacheBytes / 1024, 0) : (cacheKiB, configuration.memoryMapBytes)
        options.prepareDatabase { db in
            try db.execute(sql: "ATTACH DATABASE ? AS \(Schema.accounts)", arguments: [accountsPath])
            try db.execute(
                sql: """
                    PRAGMA main.cache_size = -\(cacheKiB); PRAGMA main.mmap_size = 0; PRAGMA main.secure_delete = ON;
                    PRAGMA \(Schema.accounts).cache_size = -\(accountsCacheKiB); PRAGMA \(Schema.accounts).mmap_size = \(mapBytes);
                    PRAGMA \(Schema.accounts).secure_delete = ON
                    """)
        }
        return options
    }

    /// Runs the migrations not yet run, on a connection of their own before the pool opens, with
    /// both files in rollback-journal mode meanwhile: SQLite commits a transaction over two
    /// files atomically only then (in WAL mode each file commits on its own), and migration v8
    /// moves tables from one file to the other. Both files are in WAL mode after.
    private static func migrate(_ path: String, _ options: GRDB.Configuration) throws {
        let queue = try DatabaseQueue(path: path, configuration: options)
        guard try !queue.read(Schema.migrator.hasCompletedMigrations) else { return }
        let journal = { (mode: String) in try queue.writeWithoutTransaction { db in try Schema.set("journal_mode = \(mode)", on: db) } }
        try journal("DELETE")
        do {
            try Schema.migrator.migrate(queue)
        } catch {
            try? journal("WAL")
            throw error
        }
        try journal("WAL")
    }

    /// A connection of its own to the store's files at `path` (the accounts file attached), for
    /// tools and tests that read or change them directly; `readonly` opens both files read-only.
    /// Made by the store's own migrations (it does not run them).
    public static func connection(to path: String, readonly: Bool = false) throws -> DatabaseQueue {
        var options = options(Configuration(path: path))
        options.readonly = readonly
        return try DatabaseQueue(path: path, configuration: options)
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
    /// Both files' journal mode when they agree (else both, `main/accounts`), and the lower of
    /// their synchronous levels.
    public func durabilitySettings() async throws -> (journalMode: String, synchronous: Int) {
        try await pool.write { db in
            var (modes, levels): ([String], [Int]) = ([], [])
            for schema in Schema.files {
                modes.append(try String.fetchOne(db, sql: "PRAGMA \(schema).journal_mode") ?? "")
                levels.append(try Int.fetchOne(db, sql: "PRAGMA \(schema).synchronous") ?? -1)
            }
            return (Set(modes).count == 1 ? modes[0] : modes.joined(separator: "/"), levels.min() ?? -1)
        }
    }
}

extension SQLiteStore: OutboxStore, LookupStore {}
