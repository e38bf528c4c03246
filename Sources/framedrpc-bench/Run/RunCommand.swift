import ArgumentParser
import Foundation

/// `run`: measures every configuration with servers and clients in separate processes.
///
/// Builds nothing: it runs the binary it is (or `--binary`). It makes a throwaway certificate,
/// starts one server process per implementation, then for each concurrency runs each
/// implementation's client `--runs` times, interleaved so that a change in machine load
/// hits all implementations alike, and prints each client's JSON line. Servers are stopped
/// at the end, on error, and on SIGINT/SIGTERM/SIGHUP.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start the servers and run every client configuration, printing JSON lines."
    )

    @Option(help: "The framedrpc-bench binary to run (default: this one).")
    var binary: String?

    @Option(name: .customLong("impl"), help: "Implementation to measure; repeat for several (default: floor and rpc).")
    var implementations: [BenchImplementation] = BenchImplementation.allCases

    @Option(name: .customLong("concurrency"), help: "Calls in flight; repeat for several (default: 64 and 1).")
    var concurrencies: [Int] = [BenchDefaults.concurrency, 1]

    @Option(help: "Client runs per implementation and concurrency.")
    var runs: Int = BenchDefaults.runs

    @Option(help: "Seconds each client run measures.")
    var seconds: Double = BenchDefaults.seconds

    @Option(help: "Payload bytes per call.")
    var payload: Int = BenchDefaults.payload

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1 (got \(runs)).") }
        guard concurrencies.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("every --concurrency must be at least 1 (got \(concurrencies)).")
        }
    }

    func run() throws {
        let binary = try binary ?? Self.ownExecutable()
        RunCleanup.installSignalHandlers()
        let certificate = try ThrowawayCertificate()
        defer { certificate.remove() }

        var servers: [BenchImplementation: ServerProcess] = [:]
        defer { for server in servers.values { server.stop() } }
        for implementation in implementations {
            servers[implementation] = try ServerProcess.start(
                binary: binary,
                subcommand: implementation.serverSubcommand,
                certificate: certificate,
                timeout: Double(BenchDefaults.serverStartupTimeout.nanoseconds) / 1e9
            )
        }

        for concurrency in concurrencies {
            for _ in 0..<runs {
                for implementation in implementations {
                    try runClient(
                        binary: binary, implementation, port: servers[implementation]!.port,
                        certificate: certificate, concurrency: concurrency)
                }
            }
        }
    }

    /// Runs one client process to completion and passes its JSON line on.
    private func runClient(
        binary: String,
        _ implementation: BenchImplementation,
        port: Int,
        certificate: ThrowawayCertificate,
        concurrency: Int
    ) throws {
        let client = Process()
        client.executableURL = URL(fileURLWithPath: binary)
        client.arguments = [
            implementation.clientSubcommand, "--port", String(port), "--ca", certificate.authorityPath,
            "--concurrency", String(concurrency), "--seconds", String(seconds), "--payload", String(payload),
        ]
        let output = Pipe()
        client.standardOutput = output
        try client.run()
        RunCleanup.register(process: client.processIdentifier)
        let lines = output.fileHandleForReading.readDataToEndOfFile()
        client.waitUntilExit()
        RunCleanup.unregister(process: client.processIdentifier)
        guard client.terminationStatus == 0 else {
            throw RunError.clientFailed(subcommand: implementation.clientSubcommand, status: client.terminationStatus)
        }
        FileHandle.standardOutput.write(lines)
    }

    /// This process's executable, resolved through /proc so a relative argv[0] works too.
    private static func ownExecutable() throws -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return path
        }
        if let path = Bundle.main.executablePath {
            return path
        }
        throw ValidationError("cannot tell where this binary is: pass --binary PATH")
    }
}
