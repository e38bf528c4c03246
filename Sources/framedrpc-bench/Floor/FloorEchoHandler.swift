import NIOCore

/// Writes every frame it reads straight back, and flushes once per read batch.
///
/// Sits after ``LengthPrefixedFrameDecoder``; runs on the channel's event loop only.
final class FloorEchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var needsFlush = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
        needsFlush = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A client leaving without close_notify lands here too; either way this connection is done.
        context.close(promise: nil)
    }
}
