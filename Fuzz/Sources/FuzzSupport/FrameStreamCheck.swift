import NIOCore

@testable import FramedRPC

/// The frames target: decodes one input as a connection's byte stream and checks what came out.
///
/// - The same bytes give the same events and the same error whether they arrive at once or in
///   pieces (``FrameReader`` keeps a partial frame across reads).
/// - Every event re-encodes to exactly the bytes it was decoded from.
/// - Each frame's payload goes through the checks and decoders a connection applies to it
///   (shape, window increment, control messages, metadata, method path); none may crash, and
///   decoded control messages survive a round trip through the public types.
public enum FrameStreamCheck {
    /// The frame limit the decoders get: small, so that oversize headers are reached often.
    public static let maxFrameSize = 1024

    /// Runs every check on `input`.
    public static func run(_ input: [UInt8]) {
        let bulk = decode(input, pieces: [input.count])
        let chunked = decode(input, pieces: pieceSizes(for: input))
        fuzzCheck(bulk == chunked, "decoding in pieces gave \(chunked), at once \(bulk)")

        var offset = 0
        for event in bulk.events {
            let encoded = encode(event)
            fuzzCheck(
                Array(input[offset..<offset + encoded.count]) == encoded,
                "\(event) does not re-encode to the bytes at offset \(offset)"
            )
            offset += encoded.count
            if case .frame(let frame) = event {
                ControlMessageCheck.run(frame)
            }
        }

        // The same bytes as frames only, without a preface (the decoder's other mode).
        var decoder = FrameDecoder(maxFrameSize: maxFrameSize, expectingPreface: false)
        var buffer = ByteBuffer(bytes: input)
        while let event = try? decoder.decode(buffer: &buffer) {
            guard case .frame(let frame) = event else {
                fuzzCheck(false, "a decoder not expecting a preface yielded \(event)")
                return
            }
            ControlMessageCheck.run(frame)
        }
    }

    /// What a reader made of the input: its events, then the error that stopped it, if any.
    struct Outcome: Equatable, CustomStringConvertible {
        var events: [InboundFrameEvent] = []
        var error: FramingError?

        var description: String { "\(events.count) events, error \(error.map { "\($0)" } ?? "none")" }
    }

    /// Feeds `input` to a ``FrameReader`` in pieces of the given sizes (cycled), reading every
    /// event after each piece, as a connection does.
    static func decode(_ input: [UInt8], pieces: [Int]) -> Outcome {
        var reader = FrameReader(maxFrameSize: maxFrameSize)
        var outcome = Outcome()
        var offset = 0
        var piece = 0
        while offset < input.count {
            let size = min(max(pieces[piece % pieces.count], 1), input.count - offset)
            piece += 1
            reader.append(ByteBuffer(bytes: input[offset..<offset + size]))
            offset += size
            do {
                while let event = try reader.next() {
                    outcome.events.append(event)
                }
            } catch let error as FramingError {
                outcome.error = error
                return outcome
            } catch {
                fuzzCheck(false, "FrameReader threw \(error), which is not a FramingError")
            }
        }
        return outcome
    }

    /// Piece sizes taken from the input itself, so that the fuzzer explores where reads split:
    /// 1 to 16 bytes each, from the low bits of successive bytes.
    static func pieceSizes(for input: [UInt8]) -> [Int] {
        let sizes = input.prefix(64).map { Int($0 & 0x0F) + 1 }
        return sizes.isEmpty ? [1] : sizes
    }

    /// The bytes an event stands for.
    static func encode(_ event: InboundFrameEvent) -> [UInt8] {
        switch event {
        case .preface(let preface):
            return preface.bytes
        case .frame(let frame):
            var buffer = ByteBuffer()
            buffer.writeFrameHeader(
                type: frame.type, streamID: frame.streamID, length: frame.payload.readableBytes, flags: frame.flags)
            buffer.writeImmutableBuffer(frame.payload)
            return Array(buffer.readableBytesView)
        }
    }
}
