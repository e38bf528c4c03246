import NIOCore
import SwiftProtobuf

/// Identifies a client call on its connection; the stream id is assigned on the event loop
/// when the HEADERS frame is written, and only read there.
final class ClientStreamRef: @unchecked Sendable {
    var streamID: UInt32 = 0
}

/// The client's side of one connection: opens calls as streams, routes the server's frames
/// to them. Event-loop confined; calls reach it through ``ClientStreamOutbound``.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    final class Stream {
        let call: ClientCall
        /// What the server may still send before it must wait for credit.
        var receiveWindow = ReceiveWindow()
        var deadlineTimer: Scheduled<Void>?

        init(call: ClientCall) {
            self.call = call
        }
    }

    /// Told once when the connection can take no new calls (GOAWAY or closed).
    private let onUnusable: @Sendable () -> Void
    /// One credit per call the connection may still open; callers take one before opening
    /// (waiting when none is left), and the handler returns it when the call ends.
    let callSlots: SendWindow
    private var streams: [UInt32: Stream] = [:]
    private var nextStreamID: UInt32 = 1
    private var usable = true
    private var closed = false
    private var writer: BatchedWriter?
    private var context: ChannelHandlerContext?
    private var reader: FrameReader
    /// Set once the server broke the framing or protocol rules: nothing more is read.
    private var readFailed = false

    init(maxConcurrentCalls: Int, maxFrameSize: Int, onUnusable: @escaping @Sendable () -> Void) {
        self.onUnusable = onUnusable
        self.reader = FrameReader(maxFrameSize: maxFrameSize)
        self.callSlots = SendWindow(initial: maxConcurrentCalls)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        writer = BatchedWriter(context: context)
        if context.channel.isActive {
            writer?.raw(Preface.current.bytes)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        writer?.raw(Preface.current.bytes)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(all: RPCError(code: .unavailable, message: "the connection to the server closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(all: RPCError(code: .unavailable, message: "connection failed: \(error)"))
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !readFailed else { return }
        reader.append(unwrapInboundIn(data))
        do {
            while !readFailed, let event = try reader.next() {
                guard case .frame(let frame) = event else { continue }
                do {
                    try handle(frame)
                } catch {
                    readFailed = true
                    fail(all: RPCError(code: .internal, message: "the server broke the protocol: \(error.message)"))
                    context.close(promise: nil)
                }
            }
        } catch {
            readFailed = true
            errorCaught(context: context, error: error)
        }
    }

    // MARK: - Calls

    /// Opens a call: HEADERS, then the first message and HALF_CLOSE when given.
    func open(
        _ call: ClientCall,
        ref: ClientStreamRef,
        head: CallHead,
        firstMessage: [UInt8]?,
        halfClose: Bool
    ) {
        guard usable, let writer, let context else {
            callSlots.grant(1)
            call.receivedStatus(CallStatus(code: .unavailable, message: "the connection is closing; retry the call"))
            return
        }
        let id = nextStreamID
        nextStreamID += 2
        if nextStreamID > UInt32(Int32.max) { markUnusable() }
        ref.streamID = id
        let stream = Stream(call: call)
        streams[id] = stream

        var timeoutMicros: UInt64 = 0
        if let timeout = head.timeout {
            timeoutMicros = timeout.wholeMicroseconds
            stream.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout.timeAmount) {
                call.cancel(RPCError(code: .deadlineExceeded, message: "the call's deadline of \(timeout) passed"))
            }
        }
        if head.metadata.isEmpty {
            writer.callHeadersFrame(streamID: id, path: head.path, timeoutMicros: timeoutMicros)
        } else {
            var headers = Framedrpc_V1_CallHeaders()
            headers.method = head.path
            headers.metadata = head.metadata.wire
            headers.timeoutMicros = timeoutMicros
            writer.frame(.headers, streamID: id, payload: headers.payloadBytes)
        }
        if let firstMessage { writer.frame(.message, streamID: id, payload: firstMessage) }
        if halfClose { writer.emptyFrame(.halfClose, streamID: id) }
    }

    func sendMessage(_ ref: ClientStreamRef, _ bytes: [UInt8]) {
        guard streams[ref.streamID] != nil else { return }
        writer?.frame(.message, streamID: ref.streamID, payload: bytes)
    }

    func halfClose(_ ref: ClientStreamRef) {
        guard streams[ref.streamID] != nil else { return }
        writer?.emptyFrame(.halfClose, streamID: ref.streamID)
    }

    func cancel(_ ref: ClientStreamRef) {
        guard removeStream(ref.streamID) != nil else { return }
        writer?.emptyFrame(.cancel, streamID: ref.streamID)
    }

    func returnCredit(_ ref: ClientStreamRef, _ credit: Int) {
        guard let stream = streams[ref.streamID] else { return }
        stream.receiveWindow.credit(credit)
        writer?.windowUpdate(streamID: ref.streamID, increment: credit)
    }

    /// Sends GOAWAY-less close: flushes and closes the channel.
    func close() {
        markUnusable()
        writer?.flush()
        context?.close(promise: nil)
    }

    // MARK: - Inbound frames

    private func handle(_ frame: Frame) throws(ProtocolViolation) {
        try frame.checkShape()
        switch frame.type {
        case .headers:
            guard let stream = streams[frame.streamID] else { return }
            let headers = try Self.decode(Framedrpc_V1_ResponseHeaders.self, frame)
            stream.call.receivedHeaders(Metadata(wire: headers.metadata))
        case .message:
            guard let stream = streams[frame.streamID] else { return }
            try stream.receiveWindow.receive(frame.payload.readableBytes, streamID: frame.streamID)
            stream.call.receivedMessage(Array(frame.payload.readableBytesView))
        case .status:
            guard let stream = removeStream(frame.streamID) else { return }
            // An empty payload is every field at its default: a plain OK.
            let status = frame.payload.readableBytes == 0
                ? CallStatus(code: .ok)
                : CallStatus(wire: try Self.decode(Framedrpc_V1_CallStatus.self, frame))
            stream.call.receivedStatus(status)
        case .windowUpdate:
            let increment = try frame.windowIncrement()
            guard let stream = streams[frame.streamID] else { return }
            guard stream.call.requestWindow.grant(increment) else {
                throw ProtocolViolation(code: .flowControlError, message: "WINDOW_UPDATE overflows the window")
            }
        case .ping:
            writer?.frame(.pong, streamID: 0, payload: frame.payload.readableBytesView)
        case .pong:
            break
        case .goAway:
            let goAway = try Self.decode(Framedrpc_V1_GoAway.self, frame)
            receivedGoAway(goAway)
        case .halfClose, .cancel:
            throw .protocolError("\(frame.type) frames are sent by clients only")
        }
    }

    private func receivedGoAway(_ goAway: Framedrpc_V1_GoAway) {
        markUnusable()
        let refused = RPCError(code: .unavailable, message: "the server is going away (\(goAway.message)); retry the call")
        for id in streams.keys.filter({ $0 > goAway.lastStreamID }) {
            removeStream(id)?.call.receivedStatus(CallStatus(refused))
        }
    }

    /// Forgets a call that has ended: stops its deadline timer and frees its call slot.
    @discardableResult
    private func removeStream(_ id: UInt32) -> Stream? {
        guard let stream = streams.removeValue(forKey: id) else { return nil }
        stream.deadlineTimer?.cancel()
        callSlots.grant(1)
        return stream
    }

    private func markUnusable() {
        guard usable else { return }
        usable = false
        onUnusable()
    }

    private func fail(all error: RPCError) {
        markUnusable()
        let open = streams
        streams.removeAll()
        callSlots.fail(error)
        for stream in open.values {
            stream.deadlineTimer?.cancel()
            stream.call.receivedStatus(CallStatus(error))
        }
    }

    private static func decode<M: SwiftProtobuf.Message>(_ type: M.Type, _ frame: Frame) throws(ProtocolViolation) -> M {
        do {
            return try M(payload: frame.payload)
        } catch {
            throw .protocolError("\(frame.type) payload is not a valid \(M.protoMessageName)")
        }
    }
}
