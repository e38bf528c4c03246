import NIOCore

/// Tells the server when a new connection stops being pending: when the first
/// ``Preface/size`` bytes after TLS have arrived, which is after the TLS handshake completed.
///
/// It sits between the TLS handler and ``ServerConnectionHandler`` only until then, passing
/// every read on, and then leaves the pipeline, so established connections do not pay for it.
/// A preface that turns out to be wrong is the connection handler's to close.
final class HandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var awaitedBytes = Preface.size
    private let onComplete: () -> Void

    /// `onComplete` runs once, on the channel's event loop.
    init(onComplete: @escaping () -> Void) {
        self.onComplete = onComplete
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard awaitedBytes > 0 else {
            context.fireChannelRead(data)
            return
        }
        awaitedBytes -= unwrapInboundIn(data).readableBytes
        if awaitedBytes <= 0 {
            onComplete()
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        } else {
            context.fireChannelRead(data)
        }
    }
}
