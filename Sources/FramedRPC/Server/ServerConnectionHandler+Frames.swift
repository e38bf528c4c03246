import NIOCore

extension ServerConnectionHandler {
    /// Applies one inbound frame. Throws for a broken rule (the caller ends the connection).
    func handle(_ frame: Frame) throws(ProtocolViolation) {
        try frame.checkShape()
        switch frame.type {
        case .headers:
            try openCall(frame)
        case .message:
            guard let stream = try openStream(frame) else { return }
            guard !stream.clientHalfClosed else {
                throw .protocolError("MESSAGE on stream \(frame.streamID) after HALF_CLOSE")
            }
            try stream.receiveWindow.receive(frame.payload.readableBytes, streamID: frame.streamID)
            stream.call.requests.push(Array(frame.payload.readableBytesView))
        case .halfClose:
            guard let stream = try openStream(frame) else { return }
            stream.clientHalfClosed = true
            stream.call.requests.finish()
        case .cancel:
            guard let stream = try openStream(frame) else { return }
            streams[frame.streamID] = nil
            stream.abandon(RPCError(code: .cancelled, message: "the client cancelled the call"))
            callEnded()
        case .windowUpdate:
            let increment = try frame.windowIncrement()
            guard let stream = try openStream(frame) else { return }
            guard stream.call.responseWindow.grant(increment) else {
                throw ProtocolViolation(code: .flowControlError, message: "WINDOW_UPDATE on stream \(frame.streamID) overflows the window")
            }
        case .ping:
            writer?.frame(.pong, streamID: 0, payload: frame.payload.readableBytesView)
        case .pong:
            state.pongReceived()
        case .status, .goAway:
            throw .protocolError("\(frame.type) frames are sent by servers only")
        }
    }

    /// The open call a frame is for; `nil` for a call that has ended (the frame is ignored).
    /// Throws for a stream id no HEADERS opened.
    private func openStream(_ frame: Frame) throws(ProtocolViolation) -> Stream? {
        if let stream = streams[frame.streamID] { return stream }
        guard frame.streamID <= highestStreamID else {
            throw .protocolError("\(frame.type) on stream \(frame.streamID), which was never opened")
        }
        return nil
    }

    private func openCall(_ frame: Frame) throws(ProtocolViolation) {
        let id = frame.streamID
        guard id > highestStreamID else {
            throw .protocolError("stream id reused: HEADERS on stream \(id) after stream \(highestStreamID); stream ids must increase")
        }
        highestStreamID = id
        guard state.acceptsCalls else {
            refuse(streamID: id, .unavailable, "the server is shutting down; retry on a new connection")
            return
        }
        guard streams.count < configuration.connection.maxConcurrentCalls else {
            refuse(
                streamID: id, .resourceExhausted, "this connection already has \(configuration.connection.maxConcurrentCalls) open calls, the server's limit")
            return
        }
        if let last = lastHeaders, frame.payload.readableBytesView.elementsEqual(last.bytes) {
            startCall(
                streamID: id, path: last.path, method: last.method, methodMetrics: last.methodMetrics, metadata: Metadata(),
                timeoutMicros: last.timeoutMicros)
            return
        }
        let metadataLimit = MetadataLimit(maxSize: configuration.frames.maxMetadataSize)
        let headers: Framedrpc_V1_CallHeaders
        do throws(RPCError) {
            try metadataLimit.check(payloadSize: frame.payload.readableBytes, of: "HEADERS")
        } catch {
            refuse(streamID: id, error.code, error.message)
            return
        }
        do {
            headers = try Framedrpc_V1_CallHeaders(payload: frame.payload)
        } catch {
            refuse(streamID: id, .invalidArgument, "HEADERS payload is not a valid framedrpc.v1.CallHeaders message")
            return
        }
        guard Self.isValidPath(headers.method) else {
            refuse(streamID: id, .invalidArgument, "method \"\(headers.method)\" is not of the form /package.Service/Method")
            return
        }
        let metadata: Metadata
        do throws(RPCError) {
            try metadataLimit.check(headers.metadata, of: "request metadata")
            metadata = Metadata(wire: headers.metadata)
            try metadata.validate()
        } catch {
            refuse(streamID: id, error.code, error.message)
            return
        }
        let method = router.methods[headers.method]
        let methodMetrics = metrics?.method(headers.method)
        if headers.metadata.isEmpty {
            lastHeaders = KnownHeaders(
                bytes: Array(frame.payload.readableBytesView), path: headers.method, method: method, methodMetrics: methodMetrics,
                timeoutMicros: headers.timeoutMicros)
        }
        startCall(
            streamID: id, path: headers.method, method: method, methodMetrics: methodMetrics, metadata: metadata,
            timeoutMicros: headers.timeoutMicros)
    }

    /// `/service/method` with both parts non-empty and no further slash.
    static func isValidPath(_ path: String) -> Bool {
        var slashes = 0
        var previous: UInt8 = 0
        var index = 0
        for byte in path.utf8 {
            defer { index += 1 }
            if byte == UInt8(ascii: "/") {
                // A slash must start the path, and the second must follow a non-empty service.
                guard (index == 0) == (slashes == 0), previous != UInt8(ascii: "/") else { return false }
                slashes += 1
            } else if index == 0 {
                return false
            }
            previous = byte
        }
        return slashes == 2 && previous != UInt8(ascii: "/")
    }
}
