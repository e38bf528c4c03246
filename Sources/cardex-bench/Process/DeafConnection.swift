import NIOCore
import NIOPosix
import NIOSSL

/// A TLS connection that exchanges the FramedRPC preface (docs/PROTOCOL.md §2) and then stops
/// reading: the server's GOAWAY and TLS close_notify stay unread and unanswered, as with a
/// client that hangs. A graceful shutdown must not wait for it longer than its TLS close timeout.
final class DeafConnection: Sendable {
    private let channel: any Channel

    /// Reads the server's preface, then turns reading off.
    private final class StopAfterPreface: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let prefaceRead: EventLoopPromise<Void>
        private var received = 0
        private var done = false

        init(prefaceRead: EventLoopPromise<Void>) {
            self.prefaceRead = prefaceRead
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received += unwrapInboundIn(data).readableBytes
            if received >= Self.prefaceSize, !done {
                done = true
                context.channel.setOption(.autoRead, value: false).cascade(to: prefaceRead)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            if !done { prefaceRead.fail(ChannelError.inputClosed) }
            done = true
        }

        static let prefaceSize = 8
    }

    /// The client preface of version 1.0: magic `FRPC\r\n`, major 1, minor 0.
    private static let preface: [UInt8] = [0x46, 0x52, 0x50, 0x43, 0x0D, 0x0A, 1, 0]

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Connects to `127.0.0.1:port` trusting the PEM authority at `trustRoots`; returns once the
    /// server's preface has arrived and reading is off.
    static func open(port: Int, trustRoots: String) async throws -> DeafConnection {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(trustRoots)
        tls.applicationProtocols = ["framedrpc/1"]
        tls.shutdownTimeout = .milliseconds(100)  // its own close: no reason to wait for the server
        let context = try NIOSSLContext(configuration: tls)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let prefaceRead = loop.makePromise(of: Void.self)
        let channel = try await ClientBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: "localhost"))
                    try channel.pipeline.syncOperations.addHandler(StopAfterPreface(prefaceRead: prefaceRead))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        try await channel.writeAndFlush(ByteBuffer(bytes: preface))
        try await prefaceRead.futureResult.get()
        return DeafConnection(channel: channel)
    }

    /// Closes the socket.
    func close() async {
        try? await channel.close()
    }
}
