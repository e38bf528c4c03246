import Foundation
import Testing

/// Expected outputs kept under `Snapshots/`, compared with what the generator writes.
///
/// Set `FRAMEDRPC_UPDATE_SNAPSHOTS=1` to rewrite the files in the source tree instead of
/// comparing (then review the diff and commit it).
enum Snapshot {
    /// The copy of `Snapshots/` bundled with the tests: where the input protos are read from.
    static var bundleDirectory: URL {
        get throws {
            guard let url = Bundle.module.url(forResource: "Snapshots", withExtension: nil) else {
                throw ProtoCompiler.Failure(description: "the test bundle has no Snapshots directory")
            }
            return url
        }
    }

    /// `Snapshots/` in the source tree, which updates write to.
    static let sourceDirectory = URL(filePath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // FramedRPCCodegenTests
        .appending(path: "Snapshots")

    /// Whether this run rewrites snapshots instead of comparing.
    static var isUpdating: Bool {
        ProcessInfo.processInfo.environment["FRAMEDRPC_UPDATE_SNAPSHOTS"] == "1"
    }

    /// Checks `actual` against the snapshot at `path` (relative to `Snapshots/`), or rewrites the
    /// snapshot when updating. A mismatch records an issue showing the first differing line.
    static func assertMatches(_ actual: String, snapshot path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        if isUpdating {
            let url = sourceDirectory.appending(path: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let url = try bundleDirectory.appending(path: path)
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing snapshot \(path): run the tests with FRAMEDRPC_UPDATE_SNAPSHOTS=1 to create it", sourceLocation: sourceLocation)
            return
        }
        if let difference = firstDifference(expected: expected, actual: actual, name: path) {
            Issue.record(
                "generated code differs from the snapshot (rerun with FRAMEDRPC_UPDATE_SNAPSHOTS=1 to accept):\n\(difference)",
                sourceLocation: sourceLocation
            )
        }
    }

    /// A unified-diff-style hunk around the first line where the texts differ, or `nil` if equal.
    static func firstDifference(expected: String, actual: String, name: String, context: Int = 2) -> String? {
        guard expected != actual else { return nil }
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let index = zip(old, new).prefix(while: { $0 == $1 }).count
        let start = max(0, index - context)
        var lines = ["--- \(name) (expected)", "+++ \(name) (generated)", "@@ line \(index + 1) @@"]
        lines += old[start..<index].map { " \($0)" }
        lines += old[index..<min(old.count, index + 1)].map { "-\($0)" }
        lines += new[index..<min(new.count, index + 1)].map { "+\($0)" }
        if index >= old.count { lines.append("-<end of file>") }
        if index >= new.count { lines.append("+<end of file>") }
        return lines.joined(separator: "\n")
    }
}
