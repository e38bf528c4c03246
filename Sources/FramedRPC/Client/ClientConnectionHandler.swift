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
    /// An open call: streaming (or unary through the general path), or unary.
    enum Entry {
        case call(Stream)
        case unary(UnaryClientCall)
    }

    private var streams: [UInt32: Entry] = [:]
    /// Whether new calls open, whether frames are read, the next stream id: decided there
    /// (ClientConnectionStateMachine.swift), done here.
    private var state = ClientConnectionStateMachine()
    private var writer: BatchedWriter?
    private var context: ChannelHandlerContext?
    private var reader: FrameReader

    /// The most response metadata taken from the server.
    private let metadataLimit: MetadataLimit

    init(maxConcurrentCalls: Int, maxFrameSize: Int, maxMetadataSize: Int, onUnusable: @escaping @Sendable () -> Void) {
        self.onUnusable = onUnusable
        self.metadataLimit = MetadataLimit(maxSize: maxMetadataSize)
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

    func handlerRemoved(context: ChannelHandlerContext) {
        // The writer holds the context, which holds this handler: kept, the cycle would keep
        // every closed connection's objects alive.
        writer = nil
        self.context = nil
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
        guard state.reads else { return }
        reader.append(unwrapInboundIn(data))
        do {
            while state.reads, let event = try reader.next() {
                guard case .frame(let frame) = event else { continue }
                do {
                    try handle(frame)
                } catch {
                    perform(state.protocolBroken())
                    fail(all: RPCError(code: .internal, message: "the server broke the protocol: \(error.message)"))
                    context.close(promise: nil)
                }
            }
        } catch {
            perform(state.protocolBroken())
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
        guard let writer, let context, case .open(let id, let unusable) = state.openCall() else {
            callSlots.grant(1)
            call.receivedStatus(CallStatus(code: .unavailable, message: "the connection is closing; retry the call"))
            return
        }
        perform(unusable)
        ref.streamID = id
        let stream = Stream(call: call)
        streams[id] = .call(stream)

        var timeoutMicros: UInt64 = 0
        if let timeout = head.timeout {
            timeoutMicros = timeout.wholeMicroseconds
            stream.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout.timeAmount) {
                call.cancel(RPCError(code: .deadlineExceeded, message: "the call's deadline of \(timeout) passed"))
            }
        }
        writeHeaders(writer, streamID: id, head: head, timeoutMicros: timeoutMicros)
        if let firstMessage { writer.frame(.message, streamID: id, payload: firstMessage) }
        if halfClose { writer.emptyFrame(.halfClose, streamID: id) }
    }

    /// Opens a unary call: HEADERS, the request and HALF_CLOSE in one write.
    func openUnary(_ call: UnaryClientCall, head: CallHead, request: [UInt8]) {
        guard let writer, let context, case .open(let id, let unusable) = state.openCall() else {
            callSlots.grant(1)
            call.complete(.failure(RPCError(code: .unavailable, message: "the connection is closing; retry the call")))
            return
        }
        perform(unusable)
        call.streamID = id
        streams[id] = .unary(call)

        var timeoutMicros: UInt64 = 0
        if let timeout = head.timeout {
            timeoutMicros = timeout.wholeMicroseconds
            call.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout.timeAmount) { [self] in
                if call.complete(.failure(RPCError(code: .deadlineExceeded, message: "the call's deadline of \(timeout) passed"))) {
                    cancelUnary(call)
                }
            }
        }
        writeHeaders(writer, streamID: id, head: head, timeoutMicros: timeoutMicros)
        writer.frame(.message, streamID: id, payload: request)
        writer.emptyFrame(.halfClose, streamID: id)
    }

    /// Sends CANCEL for a unary call that ended locally, and forgets it.
    func cancelUnary(_ call: UnaryClientCall) {
        guard case .unary(let open)? = streams[call.streamID], open === call else { return }
        removeStream(call.streamID)
        writer?.emptyFrame(.cancel, streamID: call.streamID)
    }

    private func writeHeaders(_ writer: BatchedWriter, streamID: UInt32, head: CallHead, timeoutMicros: UInt64) {
        if head.metadata.isEmpty {
            writer.callHeadersFrame(streamID: streamID, path: head.path, timeoutMicros: timeoutMicros)
        } else {
            var headers = Framedrpc_V1_CallHeaders()
            headers.method = head.path
            headers.metadata = head.metadata.wire
            headers.timeoutMicros = timeoutMicros
            writer.frame(.headers, streamID: streamID, payload: headers.payloadBytes)
        }
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
        guard case .call(let stream)? = streams[ref.streamID] else { return }
        stream.receiveWindow.credit(credit)
        writer?.windowUpdate(streamID: ref.streamID, increment: credit)
    }

    /// Sends GOAWAY-less close: flushes and closes the channel.
    func close() {
        perform(state.closeRequested())
        writer?.flush()
        context?.close(promise: nil)
    }

    // MARK: - Inbound frames

    private func handle(_ frame: Frame) throws(ProtocolViolation) {
        try frame.checkShape()
        switch frame.type {
        case .headers:
            guard let entry = streams[frame.streamID] else { return }
            do throws(RPCError) {
                try metadataLimit.check(payloadSize: frame.payload.readableBytes, of: "the server's HEADERS")
            } catch {
                return abandon(frame.streamID, entry, error)
            }
            let headers = try Self.decode(Framedrpc_V1_ResponseHeaders.self, frame)
            do throws(RPCError) {
                try metadataLimit.check(headers.metadata, of: "the server's initial metadata")
            } catch {
                return abandon(frame.streamID, entry, error)
            }
            switch entry {
            case .call(let stream):
                stream.call.receivedHeaders(Metadata(wire: headers.metadata))
            case .unary(let call):
                if call.initialMetadata == nil { call.initialMetadata = Metadata(wire: headers.metadata) }
            }
        case .message:
            switch streams[frame.streamID] {
            case .call(let stream)?:
                try stream.receiveWindow.receive(frame.payload.readableBytes, streamID: frame.streamID)
                stream.call.receivedMessage(Array(frame.payload.readableBytesView))
            case .unary(let call)?:
                try call.receiveWindow.receive(frame.payload.readableBytes, streamID: frame.streamID)
                if call.initialMetadata == nil { call.initialMetadata = Metadata() }
                if call.message == nil {
                    call.message = Array(frame.payload.readableBytesView)
                } else if call.complete(.failure(RPCError(code: .internal, message: "the server sent more than one response on a call that takes one"))) {
                    cancelUnary(call)
                }
            case nil:
                return
            }
        case .status:
            guard let entry = removeStream(frame.streamID) else { return }
            // An empty payload is every field at its default: a plain OK.
            var status = CallStatus(code: .ok)
            if frame.payload.readableBytes > 0 {
                let wire = try Self.decode(Framedrpc_V1_CallStatus.self, frame)
                do throws(RPCError) {
                    try metadataLimit.check(wire.trailingMetadata, of: "the server's trailing metadata")
                    status = CallStatus(wire: wire)
                } catch {
                    status = CallStatus(error)
                }
            }
            switch entry {
            case .call(let stream):
                stream.call.receivedStatus(status)
            case .unary(let call):
                call.complete(Self.unaryResult(call, status))
            }
        case .windowUpdate:
            let increment = try frame.windowIncrement()
            switch streams[frame.streamID] {
            case .call(let stream)?:
                guard stream.call.requestWindow.grant(increment) else {
                    throw ProtocolViolation(code: .flowControlError, message: "WINDOW_UPDATE overflows the window")
                }
            case .unary(let call)?:
                guard call.requestWindow + increment <= FlowControl.maxWindow else {
                    throw ProtocolViolation(code: .flowControlError, message: "WINDOW_UPDATE overflows the window")
                }
                call.requestWindow += increment
            case nil:
                return
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

    /// Ends a call whose response broke this client's limits: CANCEL to the server, `error`
    /// to the caller.
    private func abandon(_ streamID: UInt32, _ entry: Entry, _ error: RPCError) {
        removeStream(streamID)
        writer?.emptyFrame(.cancel, streamID: streamID)
        entry.end(with: error)
    }

    private func receivedGoAway(_ goAway: Framedrpc_V1_GoAway) {
        perform(state.goAwayReceived())
        let refused = RPCError(code: .unavailable, message: "the server is going away (\(goAway.message)); retry the call")
        for id in streams.keys.filter({ $0 > goAway.lastStreamID }) {
            removeStream(id)?.end(with: refused)
        }
    }

    /// Forgets a call that has ended: stops its deadline timer and frees its call slot.
    @discardableResult
    private func removeStream(_ id: UInt32) -> Entry? {
        guard let entry = streams.removeValue(forKey: id) else { return nil }
        switch entry {
        case .call(let stream): stream.deadlineTimer?.cancel()
        case .unary(let call): call.deadlineTimer?.cancel()
        }
        callSlots.grant(1)
        return entry
    }

    /// What a unary call's STATUS makes of it: the error, or the one response message.
    private static func unaryResult(_ call: UnaryClientCall, _ status: CallStatus) -> Result<UnaryResponse, RPCError> {
        if let error = status.error { return .failure(error) }
        guard let message = call.message else {
            return .failure(RPCError(code: .internal, message: "the server ended the call OK without a response message"))
        }
        return .success(UnaryResponse(message: message, initialMetadata: call.initialMetadata ?? [:], trailingMetadata: status.trailingMetadata))
    }

    private func perform(_ action: ClientConnectionStateMachine.OnUnusable) {
        switch action {
        case .notify: onUnusable()
        case .none: break
        }
    }

    private func fail(all error: RPCError) {
        perform(state.connectionFailed())
        let open = streams
        streams.removeAll()
        callSlots.fail(error)
        for entry in open.values {
            switch entry {
            case .call(let stream): stream.deadlineTimer?.cancel()
            case .unary(let call): call.deadlineTimer?.cancel()
            }
            entry.end(with: error)
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

extension ClientConnectionHandler.Entry {
    /// Ends the call locally with `error` (connection lost, or refused by GOAWAY).
    func end(with error: RPCError) {
        switch self {
        case .call(let stream): stream.call.receivedStatus(CallStatus(error))
        case .unary(let call): call.complete(.failure(error))
        }
    }
}
