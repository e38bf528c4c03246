import Foundation
import GRDB
import NIOPosix
import Synchronization

/// Reads ahead, on several threads at once, the pages of the books' index of numbers
/// (`book_numbers_by_phone`) that an upload's inserts are about to change, so that the writer
/// finds them in the kernel's page cache instead of reading them from disk one after another.
///
/// That index holds every number of every book ordered by number: at a million people, 100
/// million rows, far more than memory. An upload of a new book inserts each of its numbers at a
/// random place in it, so each insert needs a leaf page no recent work touched: 5,000 numbers
/// are 5,000 reads from disk, one after another, since SQLite reads one page at a time. A disk
/// serves several reads at once, so these threads ask for them: each looks up a share of the
/// numbers on a read-only connection of its own to the books' file, which reads the same leaf
/// pages into the same page cache (the books' file is never mapped). Measured at a million
/// people in a 2 GiB cgroup, where the virtual disk served 8 reads in flight only 1.6× faster
/// than one: uploads 12–16 % faster; no change where the index is cached (docs/BENCHMARKS.md,
/// "Lookups larger than memory"). Disks that serve more reads at once gain more.
final class BookIndexPrefetcher: Sendable {
    /// Reads in flight at once: what a disk (or the virtual disk of a cloud machine) serves in
    /// parallel; they wait on the disk, not on a core.
    static let threadCount = 8
    /// Fewer numbers than this are inserted without reading ahead: a card's or a few entries'
    /// changes would wait for the threads longer than for the disk.
    static let smallestBatch = 64

    private static let threads: NIOThreadPool = {
        let threads = NIOThreadPool(numberOfThreads: threadCount)
        threads.start()
        return threads
    }()

    /// Read-only connections to the books' file alone, unmapped, with a small page cache: the
    /// pages they read are for the writer, through the kernel's page cache, not for themselves.
    private let connections: IdleConnections

    /// `path`: the books' file (``SQLiteStore/Configuration/path``).
    init(path: String) {
        var options = GRDB.Configuration()
        options.readonly = true
        options.label = "book index prefetch"
        options.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -1024; PRAGMA mmap_size = 0") }
        connections = IdleConnections(path: path, configuration: options)
    }

    /// Reads the index pages of `phones` (E.164), on ``threadCount`` threads, and returns once
    /// all are read; nothing when there are fewer than ``smallestBatch``. A read that fails is
    /// skipped: the insert that follows reads the page itself. Returns the numbers looked up.
    @discardableResult
    func warm(_ phones: [String]) -> Int {
        guard phones.count >= Self.smallestBatch else { return 0 }
        // In order, so that neighbours share a thread and a page is read once.
        let sorted = phones.sorted()
        let share = (sorted.count + Self.threadCount - 1) / Self.threadCount
        let done = DispatchGroup()
        let looked = Atomic(0)
        for start in stride(from: 0, to: sorted.count, by: share) {
            let slice = Array(sorted[start..<min(start + share, sorted.count)])
            done.enter()
            Self.threads.submit { [self] state in
                defer { done.leave() }
                guard case .active = state else { return }
                looked.add((try? lookUp(slice)) ?? 0, ordering: .relaxed)
            }
        }
        done.wait()
        return looked.load(ordering: .relaxed)
    }

    private func lookUp(_ phones: [String]) throws -> Int {
        try connections.with { queue in
            try queue.inDatabase { db in
                let statement = try db.cachedStatement(sql: "SELECT 1 FROM book_numbers INDEXED BY book_numbers_by_phone WHERE phone = ? LIMIT 1")
                for phone in phones { _ = try Int.fetchOne(statement, arguments: [phone]) }
                return phones.count
            }
        }
    }
}
