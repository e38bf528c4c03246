import ArgumentParser
import Foundation
import FramedRPC

/// `rpc-client`: the anchor's load through FramedRPC's generated Echo client, on one connection.
///
/// As in the grpc-swift-2 anchor: one warm-up call, then `--concurrency` tasks each loop
/// call → response until `--seconds` are over, timing every call.
struct RPCClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc-client",
        abstract: "Load an rpc-server and print one JSON line (impl \"framedrpc\")."
    )

    /// The `impl` value of this client's JSON line.
    static let impl = "framedrpc"

    @OptionGroup var options: ClientOptions

    func run() async throws {
        try await Self.load(options, impl: Self.impl)
    }

    /// Loads the server `options` name and prints the JSON line, labelled `impl`.
    static func load(_ options: ClientOptions, impl: String) async throws {
        let tls = try ClientTLSConfiguration(trustRootsPath: options.ca, serverHostname: options.serverHostname)
        let client = try RPCClient(host: options.host, port: options.port, tls: tls)
        let echo = Framedrpc_Bench_Echo.Client(wrapping: client)
        let request = Framedrpc_Bench_EchoRequest.with {
            $0.payload = Data(repeating: 7, count: options.payload)
        }

        let latencies: [Int]
        do {
            _ = try await echo.get(request)  // warm the connection
            // Workers run on the connection's event loop, so a call never crosses threads.
            let executor = try await client.connectionExecutor()
            let clock = ContinuousClock()
            let end = clock.now + .nanoseconds(Int64(options.seconds * 1e9))
            latencies = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<options.concurrency {
                    group.addTask(executorPreference: executor) {
                        var worker: [Int] = []
                        worker.reserveCapacity(BenchDefaults.latencyReservePerWorker)
                        while clock.now < end {
                            let start = clock.now
                            _ = try await echo.get(request)
                            worker.append(Int((clock.now - start) / .microseconds(1)))  // whole microseconds, truncated (as the anchor counts them)
                        }
                        return worker
                    }
                }
                var all: [Int] = []
                for try await worker in group { all += worker }
                return all
            }
        } catch {
            await client.close()
            throw error
        }
        await client.close()

        let result = BenchResult(
            impl: impl,
            latencies: latencies,
            seconds: options.seconds,
            concurrency: options.concurrency,
            payload: options.payload
        )
        StandardOutput.writeLine(result.jsonLine)
    }
}
