import NIOCore

/// A server call's way back to its connection: hops onto the event loop unless already there.
struct ServerStreamOutbound: ServerCallOutbound {
    let streamID: UInt32
    let handler: NIOLoopBound<ServerConnectionHandler>

    func sendHeaders(_ metadata: Metadata) {
        let id = streamID
        handler.onLoop { $0.sendHeaders(streamID: id, metadata) }
    }

    func sendMessage(_ bytes: [UInt8]) {
        if let connection = handler.valueIfOnLoop {
            connection.sendMessage(streamID: streamID, bytes)
            return
        }
        let id = streamID
        handler.onLoop { $0.sendMessage(streamID: id, bytes) }
    }

    func sendStatus(_ status: CallStatus) {
        if let connection = handler.valueIfOnLoop {
            connection.sendStatus(streamID: streamID, status)
            return
        }
        let id = streamID
        handler.onLoop { $0.sendStatus(streamID: id, status) }
    }
}
