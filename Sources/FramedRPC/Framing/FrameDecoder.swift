import NIOCore

/// What the decoder yields: the peer's preface once, then frames.
enum InboundFrameEvent: Sendable, Equatable {
    case preface(Preface)
    case frame(Frame)
}

/// Decodes the connection preface and then frames from a byte stream.
///
/// Limits are checked from the header alone: a frame announcing more than `maxFrameSize`
/// payload bytes, or an unknown type, throws before any payload is buffered.
struct FrameDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = InboundFrameEvent

    private let maxFrameSize: Int
    private var sawPreface = false

    /// - Parameters:
    ///   - maxFrameSize: the largest payload accepted.
    ///   - expectingPreface: whether the stream starts with a preface; `false` decodes frames
    ///     only (the decoder verifier in the tests feeds the same input repeatedly).
    init(maxFrameSize: Int, expectingPreface: Bool = true) {
        self.maxFrameSize = maxFrameSize
        self.sawPreface = !expectingPreface
    }

    mutating func decode(buffer: inout ByteBuffer) throws -> InboundFrameEvent? {
        guard sawPreface else { return try decodePreface(&buffer) }
        guard
            let (length, rawType, flags, streamID) = buffer.getMultipleIntegers(
                at: buffer.readerIndex, as: (UInt32, UInt8, UInt8, UInt32).self
            )
        else { return nil }
        guard let type = FrameType(rawValue: rawType) else {
            throw FramingError.unknownFrameType(rawType)
        }
        guard length <= maxFrameSize else {
            throw FramingError.frameTooLarge(length: Int(length), limit: maxFrameSize)
        }
        guard buffer.readableBytes >= Frame.headerSize + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: Frame.headerSize)
        let payload = buffer.readSlice(length: Int(length))!
        return .frame(Frame(type: type, flags: flags, streamID: streamID, payload: payload))
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> InboundFrameEvent? {
        try decode(buffer: &buffer)
    }

    private mutating func decodePreface(_ buffer: inout ByteBuffer) throws -> InboundFrameEvent? {
        let available = min(buffer.readableBytes, Preface.magic.count)
        // Reject foreign traffic as soon as its first bytes differ, without waiting for 8.
        guard let head = buffer.getBytes(at: buffer.readerIndex, length: available),
            head[...] == Preface.magic[..<available]
        else { throw FramingError.badMagic }
        guard let bytes = buffer.readBytes(length: Preface.size) else { return nil }
        let preface = Preface(major: bytes[6], minor: bytes[7])
        guard preface.major == Preface.current.major else {
            throw FramingError.unsupportedVersion(major: preface.major, minor: preface.minor)
        }
        sawPreface = true
        return .preface(preface)
    }
}
