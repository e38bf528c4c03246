import ArgumentParser
import CardexClient
import CardexProto
import Foundation
import FramedRPC
import Synchronization

/// `cardex-bench lookup-load`: the client process of `cardex-bench lookup`. `--connections` TLS
/// connections with one session, `--concurrency` workers on the connections' event loops, each looking up
/// random seeded numbers until `--seconds` pass; prints one JSON line (``LookupLoad``).
struct LookupLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup-load", abstract: "The load process of `cardex-bench lookup` (started by it).", shouldDisplay: false)

    @Option var port: Int
    @Option var ca: String
    @Option var token: String
    @Option var users: Int
    @Option var concurrency: Int
    @Option var seconds: Int
    @Option var connections: Int

    func run() async throws {
        let clients = try (0..<connections).map { _ in try CardexClient(host: "127.0.0.1", port: port, trustRootsPath: ca, token: token) }
        let users = users
        func randomPhone() -> String { SeedOptions.accounts.phone(Int.random(in: 0..<users)) }
        var executors: [(any TaskExecutor)?] = []
        for client in clients {
            _ = try await client.lookup.lookup(.with { $0.phone = randomPhone() })  // warm the connection
            executors.append(try await client.rpc.connectionExecutor())
        }
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + .seconds(seconds)
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for worker in 0..<concurrency {
                // Workers take the connections in turn, each on its connection's event loop.
                let (client, executor) = (clients[worker % clients.count], executors[worker % clients.count])
                group.addTask(executorPreference: executor) {
                    var mine: [Double] = []
                    while clock.now < end {
                        let begin = clock.now
                        let found = try await client.lookup.lookup(.with { $0.phone = randomPhone() })
                        mine.append((clock.now - begin) / .microseconds(1))
                        guard found.card.fields.count == 1 else { throw BenchError("a seeded lookup did not find the public name") }
                    }
                    return mine
                }
            }
            var all: [Double] = []
            for try await mine in group { all += mine }
            return all
        }
        let elapsed = (clock.now - start) / .seconds(1)
        for client in clients { await client.close() }
        let load = LookupLoad(
            lookups: latencies.count, perSecond: Double(latencies.count) / elapsed,
            p50: Int(percentile(0.5, of: latencies)), p99: Int(percentile(0.99, of: latencies)))
        printLine(String(decoding: try JSONEncoder().encode(load), as: UTF8.self))
    }
}

/// What a `lookup-load` process measured.
struct LookupLoad: Codable {
    var lookups: Int
    var perSecond: Double
    var p50: Int
    var p99: Int

    /// Runs `cardex-bench lookup-load` (this executable) and returns its measurement; waits on
    /// a thread of its own, so the server in this process keeps all of its threads.
    static func run(
        port: Int, trustRoots: String, token: String, users: Int, concurrency: Int, connections: Int, seconds: Int
    ) async throws -> LookupLoad {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Result {
                        try runBlocking(
                            port: port, trustRoots: trustRoots, token: token, users: users, concurrency: concurrency, connections: connections,
                            seconds: seconds)
                    })
            }
        }
    }

    private static func runBlocking(
        port: Int, trustRoots: String, token: String, users: Int, concurrency: Int, connections: Int, seconds: Int
    ) throws -> LookupLoad {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        // `--token=…` in one argument: a base64url token may begin with "-", which would read as an option.
        process.arguments = [
            "lookup-load", "--port", String(port), "--ca", trustRoots, "--token=\(token)", "--users", String(users),
            "--concurrency", String(concurrency), "--connections", String(connections), "--seconds", String(seconds),
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let line = data.split(separator: UInt8(ascii: "\n")).last else {
            throw BenchError("the lookup-load process failed (status \(process.terminationStatus))")
        }
        return try JSONDecoder().decode(LookupLoad.self, from: Data(line))
    }
}
