import Logging
import Synchronization

/// A log handler that keeps every line in memory, so tests can read what was logged.
public struct RecordingLogHandler: LogHandler {
    /// One logged line, with its message and metadata flattened to text.
    public struct Line: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]

        /// The message and every metadata value, for searching.
        public var text: String {
            ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    /// Where the lines of every copy of a handler go.
    public final class Storage: Sendable {
        private let state = Mutex<[Line]>([])

        public init() {}
        public var lines: [Line] { state.withLock { $0 } }
        public func append(_ line: Line) { state.withLock { $0.append(line) } }
    }

    public let storage: Storage
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .trace

    /// A logger writing into a fresh storage, and that storage.
    public static func logger(label: String = "test") -> (Logger, Storage) {
        let storage = Storage()
        return (Logger(label: label) { _ in RecordingLogHandler(storage: storage) }, storage)
    }

    public func log(event: LogEvent) {
        var merged = metadata
        merged.merge(event.metadata ?? [:]) { $1 }
        storage.append(
            Line(
                level: event.level, message: "\(event.message)",
                metadata: merged.mapValues { "\($0)" }))
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
}
