import Foundation

/// A `cardex serve` process on one data directory, started and stopped as an operator would:
/// each ``start()`` is a new process on a free port, logging to a file of its own, and
/// ``signal(_:)`` sends SIGTERM (graceful shutdown) or SIGKILL (a crash).
///
/// Used from one task at a time.
final class ServeProcess {
    /// The `cardex` binary.
    let binary: String
    /// The data directory every start uses.
    let dataDirectory: String
    /// Flags added to `cardex serve` (limits, grace period).
    let flags: [String]
    private let logDirectory: String
    private var process: Process?
    private var starts = 0
    /// The port of the running process.
    private(set) var port = 0

    /// - Parameters:
    ///   - binary: the `cardex` executable; `nil` looks next to this executable.
    ///   - workDirectory: holds `data/` and one `serve-N.log` per start.
    init(binary: String?, workDirectory: String, flags: [String]) {
        self.binary = binary ?? Self.siblingBinary
        self.dataDirectory = workDirectory + "/data"
        self.logDirectory = workDirectory
        self.flags = flags
    }

    /// `cardex` in the directory of the running `cardex-bench`, where `swift build` puts both.
    static var siblingBinary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.deletingLastPathComponent().appendingPathComponent("cardex").path
    }

    /// The authority file the development certificate made in the data directory.
    var trustRoots: String { dataDirectory + "/dev-ca.pem" }

    /// The file verification codes are written to.
    var notificationLog: String { dataDirectory + "/notifications.log" }

    /// The log of the latest start.
    var logPath: String { logDirectory + "/serve-\(starts).log" }

    /// The process id while it runs.
    var pid: Int32? { process.map(\.processIdentifier) }

    /// Starts `cardex serve` and returns once it logged the address it listens on.
    /// - Throws: when the binary is missing, or the process exits or stays silent for `timeout`.
    func start(timeout: Duration = .seconds(60)) async throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("no cardex binary at \(binary): run `swift build` first or pass --cardex")
        }
        starts += 1
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else { throw BenchError("cannot create \(logPath)") }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        // The load's people have numbers in unassigned +1 ranges (+1556…): accepted as test numbers.
        process.arguments = ["serve", "--port", "0", "--data-dir", dataDirectory, "--test-number-prefix", "+1"] + flags
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try log.close()
        self.process = process
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let port = listeningPort() {
                self.port = port
                return
            }
            guard process.isRunning else { throw BenchError("cardex serve exited at start: \(logTail())") }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchError("cardex serve did not report its address within \(timeout): \(logTail())")
    }

    /// Sends `signal` (SIGTERM, SIGKILL) to the running process.
    func signal(_ signal: Int32) {
        if let pid, process?.isRunning == true { kill(pid, signal) }
    }

    /// Waits up to `timeout` for the process to exit; returns its exit status (128 + signal
    /// for a signal), or `nil` if it still runs.
    func waitForExit(timeout: Duration) async -> Int32? {
        guard let process else { return nil }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
        self.process = nil
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// Kills the process if it still runs (cleanup after a failure).
    func killIfRunning() async {
        signal(SIGKILL)
        _ = await waitForExit(timeout: .seconds(10))
    }

    /// The server's resident set size in KiB (`VmRSS` of /proc/<pid>/status), if it runs.
    func residentKiB() -> Int? {
        pid.flatMap(Self.residentKiB(of:))
    }

    /// The resident set size in KiB of process `pid`, if it runs.
    static func residentKiB(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    /// The last lines of this start's log, for error messages.
    func logTail(lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    private func listeningPort() -> Int? {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8),
            let range = text.range(of: #"address=[0-9.]+:[0-9]+"#, options: .regularExpression)
        else { return nil }
        return Int(text[range].split(separator: ":").last ?? "")
    }
}
