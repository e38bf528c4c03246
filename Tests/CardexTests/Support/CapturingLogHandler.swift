import CardexServer
import FramedRPC
import Logging
import Synchronization

/// A log handler that keeps every line, with its metadata merged as a real handler merges it
/// (the logger's, then its metadata provider's, then the line's).
final class LogCapture: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let lines = Mutex<[Line]>([])

    /// A logger writing here, at `level`.
    func logger(level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: "cardex-test") { _ in Handler(capture: self) }
        logger.logLevel = level
        return logger
    }

    var captured: [Line] { lines.withLock { $0 } }

    fileprivate func append(_ line: Line) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var logLevel: Logger.Level = .debug
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(metadataProvider?.get() ?? [:]) { $1 }.merging(event.metadata ?? [:]) { $1 }
            capture.append(Line(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}

extension RPCError {
    /// The error as the caller sees it, less the request id every answer carries (a random value
    /// per call, for the logs): what two answers that must not differ are compared by.
    var withoutRequestID: RPCError {
        var error = self
        error.trailingMetadata.removeAll(RequestID.metadataKey)
        return error
    }
}
