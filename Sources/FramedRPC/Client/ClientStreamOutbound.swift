import NIOCore

/// A client call's way to its connection: hops onto the event loop unless already there.
/// Operations keep their order because the loop runs submitted work in order.
struct ClientStreamOutbound: ClientCallOutbound {
    let ref: ClientStreamRef
    let handler: NIOLoopBound<ClientConnectionHandler>

    func sendMessage(_ bytes: [UInt8]) {
        let ref = self.ref
        handler.onLoop { $0.sendMessage(ref, bytes) }
    }

    func halfClose() {
        let ref = self.ref
        handler.onLoop { $0.halfClose(ref) }
    }

    func cancel() {
        let ref = self.ref
        handler.onLoop { $0.cancel(ref) }
    }
}
