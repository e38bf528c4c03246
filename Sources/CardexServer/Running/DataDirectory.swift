import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The data directory (database, keys, development certificate, notification log) is readable
/// by the server's user alone: the directory 0700, every file in it 0600, whatever the umask.
///
/// Files are created with these modes, never widened afterwards; a directory or file that
/// already exists with more permissive bits (from an earlier version, or a copy) is narrowed
/// when the server starts, with a notice in the log.
enum DataDirectory {
    static let directoryMode: mode_t = 0o700
    static let fileMode: mode_t = 0o600

    /// Creates `path` if missing and narrows it and the files in it to the private modes.
    /// - Throws: ``CardexServerError`` when the directory cannot be created or a mode changed.
    static func secure(_ path: String, logger: Logger) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: directoryMode])
        } catch {
            throw CardexServerError("cannot create the data directory \(path): \(error)")
        }
        try narrow(path, to: directoryMode, logger: logger)
        for name in try FileManager.default.contentsOfDirectory(atPath: path) {
            let file = URL(fileURLWithPath: path).appendingPathComponent(name).path
            var status = stat()
            guard lstat(file, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            try narrow(file, to: fileMode, logger: logger)
        }
    }

    /// Writes `data` to `path` atomically, as a file only the server's user can read: a new
    /// file made 0600 before any byte is written, synced, then renamed over `path`.
    static func writePrivately(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC, fileMode)
        guard descriptor >= 0 else { throw failure("create", temporary) }
        var written = 0
        let complete = data.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let count = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                written += count
            }
            return fsync(descriptor) == 0
        }
        close(descriptor)
        guard complete, rename(temporary, path) == 0 else {
            let error = failure("write", path)
            unlink(temporary)
            throw error
        }
    }

    private static func narrow(_ path: String, to mode: mode_t, logger: Logger) throws {
        var status = stat()
        guard stat(path, &status) == 0 else { throw failure("read the mode of", path) }
        let current = status.st_mode & 0o7777
        guard current & ~mode != 0 else { return }
        guard chmod(path, current & mode) == 0 else { throw failure("restrict the mode of", path) }
        logger.notice(
            "narrowed a data file's mode: it was readable by others",
            metadata: ["path": "\(path)", "was": "\(String(current, radix: 8))", "now": "\(String(current & mode, radix: 8))"])
    }

    private static func failure(_ operation: String, _ path: String) -> CardexServerError {
        CardexServerError("cannot \(operation) \(path): \(String(cString: strerror(errno))); check the data directory's owner and permissions")
    }
}
