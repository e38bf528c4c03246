import NIOCore

@testable import FramedRPC

/// Decodes everything a server connection writes and checks it against the protocol
/// (docs/PROTOCOL.md) and against what the client sent (``ConnectionScript``):
///
/// - the bytes are the current preface, then whole, well-formed frames of the types a server
///   sends, each of the shape its type requires;
/// - call frames only on streams the client opened, none after that stream's STATUS; response
///   HEADERS at most once, before any MESSAGE; control payloads decode;
/// - a MESSAGE only while the client's window for it is positive (1 MiB plus what it granted);
///   WINDOW_UPDATE credit never more than the MESSAGE bytes the client sent;
/// - no more PONGs than PINGs; GOAWAY names a stream the client opened (or 0), and nothing
///   follows a GOAWAY that reports an error.
struct ServerOutputChecker {
    private struct CallState {
        var sawHeaders = false
        var sawMessage = false
        var ended = false
        var creditReturned = 0
        var window = FlowControl.initialWindow
    }

    private let script: ConnectionScript
    private var decoder = FrameDecoder(maxFrameSize: Int(UInt32.max))
    private var pending = ByteBuffer()
    private var calls: [UInt32: CallState] = [:]
    private var pongs = 0
    private var endedByError: Framedrpc_V1_GoAwayCode?

    init(script: ConnectionScript) {
        self.script = script
    }

    /// Checks one outbound write.
    mutating func consume(_ bytes: ByteBuffer) {
        pending.writeImmutableBuffer(bytes)
        do {
            while let event = try decoder.decode(buffer: &pending) {
                switch event {
                case .preface(let preface):
                    fuzzCheck(preface == .current, "the server sent preface \(preface), not \(Preface.current)")
                case .frame(let frame):
                    check(frame)
                }
            }
        } catch {
            fuzzCheck(false, "the server wrote bytes that do not decode: \(error)")
        }
        pending.discardReadBytes()
    }

    /// Checks, once the connection has closed, that no write stopped inside a frame.
    func finish() {
        fuzzCheck(pending.readableBytes == 0, "the server's output ends with \(pending.readableBytes) bytes of a partial frame")
    }

    private mutating func check(_ frame: Frame) {
        fuzzCheck(endedByError == nil, "\(frame.type) frame after GOAWAY \(endedByError!)")
        do {
            try frame.checkShape()
        } catch {
            fuzzCheck(false, "the server sent a malformed frame: \(error.message)")
        }
        if frame.type.isConnectionFrame {
            checkConnectionFrame(frame)
        } else {
            checkCallFrame(frame)
        }
    }

    private mutating func checkConnectionFrame(_ frame: Frame) {
        switch frame.type {
        case .pong:
            pongs += 1
            fuzzCheck(pongs <= script.pings, "\(pongs) PONGs for \(script.pings) PINGs")
        case .goAway:
            guard let goAway = try? Framedrpc_V1_GoAway(payload: frame.payload) else {
                fuzzCheck(false, "a GOAWAY payload does not decode")
                return
            }
            fuzzCheck(
                goAway.lastStreamID == 0 || script.openedStreams.contains(goAway.lastStreamID),
                "GOAWAY names stream \(goAway.lastStreamID), which the client never opened")
            if goAway.code != .noError { endedByError = goAway.code }
        default:
            break
        }
    }

    private mutating func checkCallFrame(_ frame: Frame) {
        let id = frame.streamID
        fuzzCheck(script.openedStreams.contains(id), "\(frame.type) on stream \(id), which the client never opened")
        var call = calls[id] ?? CallState()
        fuzzCheck(!call.ended, "\(frame.type) on stream \(id) after its STATUS")
        switch frame.type {
        case .headers:
            fuzzCheck(!call.sawHeaders && !call.sawMessage, "response HEADERS on stream \(id) after HEADERS or MESSAGE")
            fuzzCheck((try? Framedrpc_V1_ResponseHeaders(payload: frame.payload)) != nil, "a response HEADERS payload does not decode")
            call.sawHeaders = true
        case .message:
            let granted = call.window + script.grantedWindow[id, default: 0]
            fuzzCheck(granted > 0, "MESSAGE on stream \(id) while the client's window is \(granted)")
            call.window -= frame.payload.readableBytes
            call.sawMessage = true
        case .status:
            fuzzCheck(
                frame.payload.readableBytes == 0 || (try? Framedrpc_V1_CallStatus(payload: frame.payload)) != nil,
                "a STATUS payload does not decode")
            call.ended = true
        case .windowUpdate:
            let increment = (try? frame.windowIncrement()) ?? 0
            fuzzCheck(increment > 0, "WINDOW_UPDATE on stream \(id) with an invalid increment")
            call.creditReturned += increment
            fuzzCheck(
                call.creditReturned <= script.sentMessageBytes[id, default: 0],
                "stream \(id) got \(call.creditReturned) bytes of credit for \(script.sentMessageBytes[id, default: 0]) sent")
        case .halfClose, .cancel:
            fuzzCheck(false, "the server sent \(frame.type), which only clients send")
        case .ping, .pong, .goAway:
            break  // connection frames; checkShape() kept them off call streams
        }
        calls[id] = call
    }
}
