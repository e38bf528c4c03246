import Foundation
import Logging
import Synchronization

/// `cardex serve --log-format json`: one JSON object per line on standard error, for log
/// collectors: `time` (ISO 8601, UTC, milliseconds), `level`, `label`, `message`, `source`, and
/// every metadata entry (the logger's, the provider's such as `request_id`, the line's) as a
/// field of its own, the line's winning. swift-log ships no JSON handler, and none of the
/// packages this project may use has one; this is the format alone.
struct JSONLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    let label: String

    /// One line at a time, whole, whichever thread logs.
    private static let output = Mutex(FileHandle.standardError)
    /// `2026-12-07T03:09:08.745Z`.
    private static let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    init(label: String, metadataProvider: Logger.MetadataProvider?) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: Any] = [:]
        let merged = metadata.merging(metadataProvider?.get() ?? [:]) { $1 }.merging(event.metadata ?? [:]) { $1 }
        for (key, value) in merged { fields[key] = Self.json(value) }
        fields["time"] = Self.time.format(Date())
        fields["level"] = event.level.rawValue
        fields["label"] = label
        fields["message"] = "\(event.message)"
        fields["source"] = event.source
        guard var line = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(UInt8(ascii: "\n"))
        Self.output.withLock { $0.write(line) }
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): "\(convertible)"
        case .array(let values): values.map(json)
        case .dictionary(let entries): entries.mapValues(json)
        }
    }
}
