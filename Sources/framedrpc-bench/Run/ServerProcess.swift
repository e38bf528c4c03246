import Foundation
import Synchronization

/// A benchmark server running as a child process, on a port it picked itself.
///
/// ``start(binary:subcommand:certificate:timeout:)`` returns once the child has printed
/// `listening on HOST:PORT`; ``stop()`` sends SIGTERM and waits for it to exit.
/// The child is registered with ``RunCleanup`` while it runs.
final class ServerProcess: Sendable {
    /// The port the server reported.
    let port: Int
    private let process: Process

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    /// Starts `binary subcommand --port 0 --cert … --key …` and waits up to `timeout` seconds
    /// for its `listening on` line. Throws ``RunError/serverDidNotStart(subcommand:reason:)``.
    static func start(
        binary: String,
        subcommand: String,
        certificate: ThrowawayCertificate,
        timeout: Double
    ) throws -> ServerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            subcommand, "--port", "0", "--cert", certificate.certificatePath, "--key", certificate.keyPath,
        ]
        let output = Pipe()
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            throw RunError.serverDidNotStart(subcommand: subcommand, reason: "\(binary) would not run: \(error)")
        }
        RunCleanup.register(process: process.processIdentifier)

        guard let line = readLine(from: output.fileHandleForReading, timeout: timeout) else {
            stop(process)
            throw RunError.serverDidNotStart(subcommand: subcommand, reason: "no `listening on` line within \(timeout) s")
        }
        guard line.hasPrefix("listening on "), let port = line.split(separator: ":").last.flatMap({ Int($0) }) else {
            stop(process)
            throw RunError.serverDidNotStart(subcommand: subcommand, reason: "unexpected first line \"\(line)\"")
        }
        return ServerProcess(process: process, port: port)
    }

    /// Stops the server: SIGTERM, then waits for it to exit.
    func stop() {
        Self.stop(process)
    }

    private static func stop(_ process: Process) {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        RunCleanup.unregister(process: process.processIdentifier)
    }

    /// The first line `handle` yields, or `nil` at end of file or after `timeout` seconds.
    private static func readLine(from handle: FileHandle, timeout: Double) -> String? {
        let line = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var bytes = Data()
            while !bytes.contains(UInt8(ascii: "\n")) {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                bytes.append(chunk)
            }
            let text = String(decoding: bytes, as: UTF8.self)
            line.withLock { $0 = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) }
            done.signal()
        }
        guard done.wait(timeout: .now() + timeout) == .success else { return nil }
        return line.withLock { $0 }.flatMap { $0.isEmpty ? nil : $0 }
    }
}
