import CoreMetrics
import NIOCore

/// Gathers the frames a connection writes during one event-loop tick into one buffer and
/// flushes it once, at the end of the tick: one TLS record and one syscall for many frames.
///
/// Event-loop confined, like the handler that owns it.
final class BatchedWriter {
    private let context: ChannelHandlerContext
    private var pending: ByteBuffer
    /// The last headers `callHeadersFrame` encoded, and their bytes.
    private var lastCallHeaders: (path: String, timeoutMicros: UInt64, bytes: [UInt8])?
    private var flushScheduled = false
    /// Called after a flush that leaves more than `maxBytes` queued in the channel (written,
    /// not yet taken by the socket); `nil`: no limit. Only looked at while the channel is not
    /// writable, so a connection whose peer keeps up pays one writability check per flush.
    var outboundLimit: (maxBytes: Int, exceeded: () -> Void)?
    /// Pending bytes past which the batch is flushed at once rather than at the end of the
    /// tick, so the peer starts on the first calls while this side works on the rest
    /// (measured with scripts/bench.sh: about 4 KiB keeps both processes busy).
    static let flushThreshold = 4096
    /// Counts the bytes written, when the connection keeps metrics.
    private let sentBytes: Counter?

    init(context: ChannelHandlerContext, sentBytes: Counter? = nil) {
        self.context = context
        self.sentBytes = sentBytes
        self.pending = context.channel.allocator.buffer(capacity: 4096)
    }

    /// Appends one frame.
    func frame(_ type: FrameType, streamID: UInt32, payload: some Collection<UInt8>) {
        pending.writeFrame(type: type, streamID: streamID, payload: payload)
        scheduleFlush()
    }

    /// Appends a frame with an empty payload.
    func emptyFrame(_ type: FrameType, streamID: UInt32) {
        pending.writeEmptyFrame(type: type, streamID: streamID)
        scheduleFlush()
    }

    /// Appends a HEADERS frame whose `CallHeaders` carry `path`, no metadata and `timeoutMicros`.
    /// SwiftProtobuf's encoding of the last such headers is kept: calls in a loop to one method
    /// without a deadline send the same bytes, encoded once.
    func callHeadersFrame(streamID: UInt32, path: String, timeoutMicros: UInt64) {
        if lastCallHeaders?.path != path || lastCallHeaders?.timeoutMicros != timeoutMicros {
            var headers = Framedrpc_V1_CallHeaders()
            headers.method = path
            headers.timeoutMicros = timeoutMicros
            lastCallHeaders = (path, timeoutMicros, headers.payloadBytes)
        }
        frame(.headers, streamID: streamID, payload: lastCallHeaders!.bytes)
    }

    /// Appends a WINDOW_UPDATE frame.
    func windowUpdate(streamID: UInt32, increment: Int) {
        pending.writeFrameHeader(type: .windowUpdate, streamID: streamID, length: 4)
        pending.writeInteger(UInt32(increment))
        scheduleFlush()
    }

    /// Appends raw bytes (the preface).
    func raw(_ bytes: [UInt8]) {
        pending.writeBytes(bytes)
        scheduleFlush()
    }

    /// Writes and flushes what is pending now.
    func flush() {
        flushScheduled = false
        guard pending.readableBytes > 0 else { return }
        let batch = pending
        sentBytes?.increment(by: batch.readableBytes)
        pending = context.channel.allocator.buffer(capacity: max(4096, batch.readableBytes))
        context.writeAndFlush(NIOAny(batch), promise: nil)
        if !context.channel.isWritable, let outboundLimit {
            let queued = (try? context.channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0
            if queued > outboundLimit.maxBytes {
                outboundLimit.exceeded()
            }
        }
    }

    private func scheduleFlush() {
        if pending.readableBytes >= Self.flushThreshold {
            flush()
            return
        }
        guard !flushScheduled else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute { [self] in
            flush()
        }
    }
}
