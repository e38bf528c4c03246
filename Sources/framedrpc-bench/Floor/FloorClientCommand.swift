import ArgumentParser
import NIOCore
import NIOPosix
import NIOSSL

/// `floor-client`: the floor's load, one TLS connection with `--concurrency` messages in flight.
struct FloorClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "floor-client",
        abstract: "Load a floor-server and print one JSON line (impl \"nio-tls-floor\")."
    )

    /// The `impl` value of this client's JSON line.
    static let impl = "nio-tls-floor"

    @OptionGroup var options: ClientOptions

    func run() async throws {
        let tls = try FloorTLS.clientContext(trustRootsPath: options.ca)
        let group = MultiThreadedEventLoopGroup.singleton
        let loop = group.next()
        let completion = loop.makePromise(of: [Int].self)
        let (payload, concurrency, serverHostname) = (options.payload, options.concurrency, options.serverHostname)
        let duration = TimeAmount.nanoseconds(Int64(options.seconds * 1e9))

        let connecting = ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        NIOSSLClientHandler(context: tls, serverHostname: serverHostname),
                        ByteToMessageHandler(
                            LengthPrefixedFrameDecoder(maximumPayloadLength: BenchDefaults.maximumFramePayload)
                        ),
                        FloorLoadHandler(
                            payload: payload,
                            concurrency: concurrency,
                            duration: duration,
                            completion: completion
                        )
                    )
                }
            }
            .connect(host: options.host, port: options.port)
        let channel: any Channel
        do {
            channel = try await connecting.get()
        } catch {
            completion.fail(error)  // an unfulfilled promise is a leak NIO traps on in debug builds
            throw error
        }
        let latencies: [Int]
        do {
            latencies = try await completion.futureResult.get()
        } catch {
            try? await channel.close()
            throw error
        }
        try? await channel.closeFuture.get()

        let result = BenchResult(
            impl: Self.impl,
            latencies: latencies,
            seconds: options.seconds,
            concurrency: concurrency,
            payload: payload
        )
        StandardOutput.writeLine(result.jsonLine)
    }
}
