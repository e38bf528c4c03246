import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the store's files may reveal.
///
/// Guarantees:
/// - A missing directory is created 0700 and a missing database file (either) 0600, whatever the umask;
///   SQLite gives its `-wal` and `-shm` files the database file's mode. (`cardex serve` also
///   narrows the modes of files that already exist: see `DataDirectory`.)
/// - Deleted and overwritten content is zeroed in the database files (`secure_delete`).
/// - A body erased after delivery (a verification code) leaves the write-ahead log too: a
///   TRUNCATE checkpoint of both files copies each log into its database, where the erased
///   bytes are zeros, and empties it. When readers keep the checkpoint from finishing (longer than the busy
///   timeout), it is owed, and tried again at the worker's next look at the outbox.
/// open(2) creating `path` for writing, outside `SQLiteStore`, whose own `open` would hide it.
private func createFile(_ path: String, mode: mode_t) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_CLOEXEC, mode)
}

extension SQLiteStore {
    /// Creates `path`'s directory (0700) and an empty database file (0600) when missing.
    static func createPrivately(_ path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let descriptor = createFile(path, mode: 0o600)
        guard descriptor >= 0 else {
            throw StoreFileError("cannot create the database file \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
    }

    /// Empties the write-ahead log into the database, so erased bytes are left in no file; owed
    /// for later when readers hold it up.
    func scrubJournal() async {
        do {
            _ = try await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate, on: nil) }  // nil: both files
            journalScrubOwed.store(false, ordering: .relaxed)
        } catch {
            journalScrubOwed.store(true, ordering: .relaxed)
        }
    }

    /// Runs an owed ``scrubJournal()``.
    func scrubJournalIfOwed() async {
        if journalScrubOwed.load(ordering: .relaxed) { await scrubJournal() }
    }
}

/// A file of the store could not be created or protected; says which and why.
struct StoreFileError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
