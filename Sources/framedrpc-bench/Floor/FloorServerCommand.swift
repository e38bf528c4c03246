import ArgumentParser
import NIOCore
import NIOPosix
import NIOSSL

/// `floor-server`: the bare swift-nio + NIOSSL echo server, with no RPC layer.
struct FloorServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "floor-server",
        abstract: "Serve the floor: echo 4-byte length-prefixed messages over TLS until killed.",
        discussion: "Prints `listening on HOST:PORT` once bound."
    )

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let tls = try FloorTLS.serverContext(certificatePath: options.cert, keyPath: options.key)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: BenchDefaults.listenBacklog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        NIOSSLServerHandler(context: tls),
                        ByteToMessageHandler(
                            LengthPrefixedFrameDecoder(maximumPayloadLength: BenchDefaults.maximumFramePayload)
                        ),
                        FloorEchoHandler()
                    )
                }
            }
            .bind(host: options.host, port: options.port)
            .get()
        StandardOutput.writeLine("listening on \(options.host):\(channel.localAddress?.port ?? options.port)")
        try await channel.closeFuture.get()
    }
}
