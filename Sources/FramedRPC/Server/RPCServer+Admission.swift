import NIOCore

// Which connections the server takes: ConnectionAdmission's decisions, carried out.
extension RPCServer {
    /// Registers a new connection if the limits let it in, closing the pending connection it
    /// displaces; `false` means the caller closes it. Forgets it again when it closes.
    func admit(_ channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        guard let address = channel.remoteAddress else { return false }
        let origin = ConnectionOrigin(address)
        let (admitted, displaced): (Bool, (any Channel)?) = state.withLockedValue { state in
            guard case .admit(let displaced) = state.admission.admit(id, from: origin, limits: configuration.admission) else {
                return (false, nil)
            }
            state.connections[id] = channel
            return (true, displaced.flatMap { state.connections[$0] })
        }
        guard admitted else { return false }
        displaced?.close(promise: nil)
        channel.closeFuture.whenComplete { [self] _ in
            state.withLockedValue { state in
                state.connections[id] = nil
                state.admission.closed(id)
            }
        }
        return true
    }

    /// The connection's TLS handshake and preface are complete: it no longer counts as pending.
    func handshakeCompleted(_ id: ObjectIdentifier) {
        state.withLockedValue { $0.admission.established(id) }
    }

    /// Connections whose TLS handshake and preface are not complete.
    public var pendingHandshakeCount: Int {
        state.withLockedValue { $0.admission.pendingCount }
    }
}
