import NIOCore

/// A server call's way back to its connection: hops onto the event loop unless already there.
/// A class, so the call holds it without an existential box and closures capture it for free.
final class ServerStreamOutbound: ServerCallOutbound {
    let streamID: UInt32
    let handler: NIOLoopBound<ServerConnectionHandler>

    init(streamID: UInt32, handler: NIOLoopBound<ServerConnectionHandler>) {
        self.streamID = streamID
        self.handler = handler
    }

    /// Hands consumed request bytes back to the client as a WINDOW_UPDATE.
    func returnCredit(_ credit: Int) {
        let id = streamID
        handler.onLoop { $0.returnCredit(streamID: id, credit) }
    }

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
