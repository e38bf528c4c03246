import NIOCore

/// Gathers a connection's incoming bytes and yields the events ``FrameDecoder`` finds in them.
///
/// The connection handlers own one and decode in place, instead of putting a
/// `ByteToMessageHandler` in front of them: that saves, per frame, a pass through the pipeline,
/// an existential box for the event and a dynamic cast, and keeps the generic decoder
/// specialised (measured with scripts/bench.sh, docs/BENCHMARKS.md).
///
/// Event-loop confined, like the handler that owns it.
struct FrameReader {
    private var decoder: FrameDecoder
    /// Bytes received and not yet decoded; `nil` when there are none.
    private var pending: ByteBuffer?

    init(maxFrameSize: Int) {
        decoder = FrameDecoder(maxFrameSize: maxFrameSize)
    }

    /// Adds bytes read from the connection.
    mutating func append(_ bytes: ByteBuffer) {
        if pending == nil {
            pending = bytes
        } else {
            // Only a partial frame is left: move it to the front before adding to it.
            pending!.discardReadBytes()
            var bytes = bytes
            pending!.writeBuffer(&bytes)
        }
    }

    /// The next complete event, or `nil` until more bytes arrive. Throws ``FramingError``;
    /// after that the connection is to be closed and nothing more read.
    mutating func next() throws -> InboundFrameEvent? {
        guard var buffer = pending else { return nil }
        pending = nil  // keeps `buffer` uniquely referenced while it is decoded
        let event = try decoder.decode(buffer: &buffer)
        if buffer.readableBytes > 0 { pending = buffer }
        return event
    }
}
