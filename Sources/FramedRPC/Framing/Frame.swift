import NIOCore

/// One frame: the 10-byte header's fields and the payload (docs/PROTOCOL.md §3).
struct Frame: Sendable, Equatable {
    /// Bytes in a frame header: length (4), type (1), flags (1), stream id (4).
    static let headerSize = 10

    var type: FrameType
    var flags: UInt8
    var streamID: UInt32
    var payload: ByteBuffer

    init(type: FrameType, flags: UInt8 = 0, streamID: UInt32, payload: ByteBuffer = ByteBuffer()) {
        self.type = type
        self.flags = flags
        self.streamID = streamID
        self.payload = payload
    }
}

extension ByteBuffer {
    /// Appends a frame header announcing `length` payload bytes.
    mutating func writeFrameHeader(type: FrameType, streamID: UInt32, length: Int, flags: UInt8 = 0) {
        writeMultipleIntegers(UInt32(length), type.rawValue, flags, streamID)
    }

    /// Appends a whole frame whose payload is `payload`.
    mutating func writeFrame(type: FrameType, streamID: UInt32, payload: some Collection<UInt8>) {
        writeFrameHeader(type: type, streamID: streamID, length: payload.count)
        writeBytes(payload)
    }

    /// Appends a whole frame whose payload is the readable bytes of `payload`.
    mutating func writeFrame(type: FrameType, streamID: UInt32, payload: ByteBuffer) {
        writeFrameHeader(type: type, streamID: streamID, length: payload.readableBytes)
        writeImmutableBuffer(payload)
    }

    /// Appends a frame with an empty payload.
    mutating func writeEmptyFrame(type: FrameType, streamID: UInt32) {
        writeFrameHeader(type: type, streamID: streamID, length: 0)
    }
}
