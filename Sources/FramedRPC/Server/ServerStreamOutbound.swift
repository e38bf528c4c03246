import NIOCore

/// A server call's way back to its connection: hops onto the event loop unless already there.
struct ServerStreamOutbound: ServerCallOutbound {
    let streamID: UInt32
    let handler: NIOLoopBound<ServerConnectionHandler>

    func sendHeaders(_ metadata: Metadata) {
        let id = streamID
        Self.onLoop(handler) { $0.sendHeaders(streamID: id, metadata) }
    }

    func sendMessage(_ bytes: [UInt8]) {
        let id = streamID
        Self.onLoop(handler) { $0.sendMessage(streamID: id, bytes) }
    }

    func sendStatus(_ status: CallStatus) {
        let id = streamID
        Self.onLoop(handler) { $0.sendStatus(streamID: id, status) }
    }

    /// Runs `body` with the handler on its event loop: now if this is the loop, else next.
    static func onLoop(
        _ handler: NIOLoopBound<ServerConnectionHandler>,
        _ body: @escaping @Sendable (ServerConnectionHandler) -> Void
    ) {
        let loop = handler.eventLoop
        if loop.inEventLoop {
            body(handler.value)
        } else {
            loop.execute { body(handler.value) }
        }
    }
}
