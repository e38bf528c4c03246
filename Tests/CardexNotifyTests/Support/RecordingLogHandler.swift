import Logging
import Synchronization

/// A log handler that keeps every line in memory, so tests can read what was logged.
struct RecordingLogHandler: LogHandler {
    /// One logged line, with its message and metadata flattened to text.
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]

        /// The message and every metadata value, for searching.
        var text: String {
            ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    /// Where the lines of every copy of a handler go.
    final class Storage: Sendable {
        private let state = Mutex<[Line]>([])
        var lines: [Line] { state.withLock { $0 } }
        func append(_ line: Line) { state.withLock { $0.append(line) } }
    }

    let storage: Storage
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .trace

    /// A logger writing into a fresh storage, and that storage.
    static func logger() -> (Logger, Storage) {
        let storage = Storage()
        return (Logger(label: "cardex.notify.test") { _ in RecordingLogHandler(storage: storage) }, storage)
    }

    func log(event: LogEvent) {
        var merged = metadata
        merged.merge(event.metadata ?? [:]) { $1 }
        storage.append(Line(
            level: event.level, message: "\(event.message)",
            metadata: merged.mapValues { "\($0)" }))
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
}
