import ArgumentParser
import FramedRPC

/// `rpc-server`: the echo service served by FramedRPC over TLS.
struct RPCServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc-server",
        abstract: "Serve the FramedRPC Echo service over TLS until killed.",
        discussion: "Prints `listening on HOST:PORT` once bound."
    )

    @OptionGroup var options: ServerOptions

    func run() async throws {
        try await Self.serve(options, observability: nil)
    }

    /// Serves until killed; with `observability`, counting into its metrics and tracing with its
    /// tracer.
    static func serve(_ options: ServerOptions, observability: BenchObservability?) async throws {
        let tls = try ServerTLSConfiguration(certificateChainPath: options.cert, privateKeyPath: options.key)
        let server = RPCServer(
            services: [EchoService()],
            metricsFactory: observability?.metrics,
            tracing: observability?.tracer.map { ServerTracing(tracer: $0, rootSampleRatio: observability?.sampleRatio ?? 1) })
        try await server.start(host: options.host, port: options.port, tls: tls)
        StandardOutput.writeLine("listening on \(options.host):\(server.port ?? options.port)")
        try await server.waitUntilClosed()
    }
}
