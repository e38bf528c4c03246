import NIOCore

/// Splits a byte stream into frames of a 4-byte big-endian payload length then that many bytes.
///
/// Each frame is passed on whole, prefix included, as a slice of the received bytes (no copy),
/// so an echo writes it back unchanged. A length over `maximumPayloadLength` throws
/// ``FrameTooLargeError`` before any of the payload is buffered.
struct LengthPrefixedFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    /// Bytes in the length prefix.
    static let prefixLength = 4

    /// The largest payload accepted, in bytes.
    let maximumPayloadLength: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else {
            return .needMoreData
        }
        guard length <= maximumPayloadLength else {
            throw FrameTooLargeError(length: Int(length), limit: maximumPayloadLength)
        }
        guard let frame = buffer.readSlice(length: Self.prefixLength + Int(length)) else {
            return .needMoreData
        }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        // A partial frame at end of stream is dropped: the peer went away mid-message.
        try decode(context: context, buffer: &buffer)
    }
}

/// A floor peer announced a frame longer than the limit; the connection is closed.
struct FrameTooLargeError: Error, CustomStringConvertible {
    /// The announced payload length, in bytes.
    var length: Int
    /// The limit it broke, in bytes.
    var limit: Int

    var description: String {
        "frame of \(length) bytes exceeds the \(limit)-byte limit: send smaller payloads"
    }
}
