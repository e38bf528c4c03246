import CardexCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The development channel: appends each message as one JSON line to a file, where a developer
/// reads the verification codes (`tail -f`).
///
/// Each line is the object described for the webhook too:
/// `{"body":"…","created_at":"2025-01-31T12:00:00Z","id":42,"kind":"verification_code","to":"+4915…"}`.
///
/// Guarantees:
/// - The file and its missing directories are created on first use: the file with mode 0600,
///   directories with 0700 (the lines hold codes). An existing file keeps its mode.
/// - A line is handed to the kernel with one unbuffered `write` before ``deliver(_:)``
///   returns, so a reader sees it at once; it is not `fsync`ed (a lost line after a power cut
///   costs a developer one new code).
/// - Calls are serialised by the actor, so concurrent deliveries never interleave lines.
/// - The file is opened per message, so deleting or rotating it is safe: the next message
///   creates it again.
///
/// The write blocks the calling thread briefly; this adapter is meant for development volumes.
public actor FileLogNotifier: Notifier {
    /// The file lines are appended to.
    public nonisolated let fileURL: URL

    /// Creates a notifier that appends to `fileURL`. Nothing is touched until the first message.
    public init(fileURL: URL) {
        self.fileURL = fileURL
    }

    /// Appends `message` as one JSON line.
    ///
    /// - Throws: ``WriteError`` when the file or its directory cannot be created or written.
    public func deliver(_ message: OutboxMessage) throws {
        var line = try NotificationPayload(message).jsonData()
        line.append(UInt8(ascii: "\n"))
        let descriptor = try openForAppending()
        defer { close(descriptor) }
        try writeAll(line, to: descriptor)
    }

    private func openForAppending() throws -> Int32 {
        let path = fileURL.path
        let flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC
        var descriptor = open(path, flags, 0o600)
        if descriptor < 0 && errno == ENOENT {
            let directory = fileURL.deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(
                    at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw WriteError(path: directory.path, operation: "create directory", reason: "\(error)")
            }
            descriptor = open(path, flags, 0o600)
        }
        guard descriptor >= 0 else {
            throw WriteError(path: path, operation: "open", reason: Self.describeErrno())
        }
        return descriptor
    }

    private func writeAll(_ data: Data, to descriptor: Int32) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw WriteError(path: fileURL.path, operation: "append to", reason: Self.describeErrno())
                }
                offset += written
            }
        }
    }

    private static func describeErrno() -> String {
        let code = errno
        return "\(String(cString: strerror(code))) (errno \(code))"
    }
}
