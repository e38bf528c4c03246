import NIOCore

@testable import FramedRPC

/// How the connection target reads its input: the bytes a client sends, cut into reads at
/// frame boundaries, with a few harness operations in between.
///
/// The first 8 bytes are one read (the preface, if the input is well formed). Then each frame,
/// as its header announces it, is one read, and any bytes too few for a header are a last read.
/// Frames whose type byte is one of ``Operation`` are not sent; the harness carries them out
/// instead, taking its argument from the header's stream-id field:
///
/// - `0xF0`: advance the event loop's clock by that many milliseconds;
/// - `0xF1`: ask the connection to drain (shutdown) with that grace period in milliseconds;
/// - `0xF2`: send the next frame in reads of `argument % 16 + 1` bytes.
///
/// Every other type byte, valid or not, reaches the server. The harness runs the event loop
/// after each step, so calls' tasks progress between frames.
struct ConnectionScript {
    enum Operation: UInt8 {
        case advanceTime = 0xF0
        case drain = 0xF1
        case splitNextFrame = 0xF2
    }

    enum Step {
        case send(ByteBuffer)
        case advanceTime(milliseconds: UInt32)
        case drain(graceMilliseconds: UInt32)
    }

    private(set) var steps: [Step] = []
    /// Stream ids of the HEADERS frames sent.
    private(set) var openedStreams: Set<UInt32> = []
    /// Per stream, the sum of the WINDOW_UPDATE increments sent (the most the server may use).
    private(set) var grantedWindow: [UInt32: Int] = [:]
    /// Per stream, the MESSAGE payload bytes sent (the most credit the server may return).
    private(set) var sentMessageBytes: [UInt32: Int] = [:]
    /// PING frames sent (the most PONGs the server may send).
    private(set) var pings = 0

    init(_ input: [UInt8]) {
        var input = ByteBuffer(bytes: input)
        if let preface = input.readSlice(length: min(Preface.size, input.readableBytes)), preface.readableBytes > 0 {
            steps.append(.send(preface))
        }
        var splitNext: Int?
        while input.readableBytes > 0 {
            guard
                let (length, type, _, streamID) = input.getMultipleIntegers(
                    at: input.readerIndex, as: (UInt32, UInt8, UInt8, UInt32).self
                )
            else {
                steps.append(.send(input.readSlice(length: input.readableBytes)!))
                break
            }
            let size = Frame.headerSize + min(Int(length), input.readableBytes - Frame.headerSize)
            var frame = input.readSlice(length: size)!
            if let operation = Operation(rawValue: type) {
                switch operation {
                case .advanceTime: steps.append(.advanceTime(milliseconds: streamID))
                case .drain: steps.append(.drain(graceMilliseconds: streamID))
                case .splitNextFrame: splitNext = Int(streamID % 16) + 1
                }
                continue
            }
            if let type = FrameType(rawValue: type) {
                note(type, streamID: streamID, payload: frame.getSlice(at: frame.readerIndex + Frame.headerSize, length: size - Frame.headerSize)!)
            }
            let pieceSize = splitNext ?? size
            splitNext = nil
            while let piece = frame.readSlice(length: min(pieceSize, frame.readableBytes)), piece.readableBytes > 0 {
                steps.append(.send(piece))
            }
        }
    }

    /// Records what a frame the server will see allows it to send back.
    private mutating func note(_ type: FrameType, streamID: UInt32, payload: ByteBuffer) {
        switch type {
        case .headers:
            openedStreams.insert(streamID)
        case .message:
            sentMessageBytes[streamID, default: 0] += payload.readableBytes
        case .windowUpdate:
            if payload.readableBytes == 4, let increment = payload.getInteger(at: payload.readerIndex, as: UInt32.self) {
                grantedWindow[streamID, default: 0] += Int(increment)
            }
        case .ping:
            pings += 1
        case .halfClose, .status, .cancel, .pong, .goAway:
            break
        }
    }
}
