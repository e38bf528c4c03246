import NIOCore

// Idle timeout, keepalive and graceful drain.
extension ServerConnectionHandler {
    /// Called whenever a call leaves the table.
    func callEnded() {
        guard streams.isEmpty else { return }
        idleSince = .now()
        if phase == .draining {
            closeNow()
        }
    }

    /// Arms the idle timer once; when it fires it closes the connection if no call has been
    /// open for the idle timeout, and otherwise re-arms for when that could first be true
    /// (so calls coming and going never touch the timer).
    func armIdleTimer(at due: NIODeadline? = nil) {
        guard let context else { return }
        let due = due ?? .now() + configuration.idleTimeout.timeAmount
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { [self] in
            guard phase == .active else { return }
            if streams.isEmpty, let idleSince, .now() - idleSince >= configuration.idleTimeout.timeAmount {
                writeGoAway(.idleTimeout, "no call for \(configuration.idleTimeout)")
                closeNow()
            } else {
                armIdleTimer(at: (streams.isEmpty ? idleSince ?? .now() : .now()) + configuration.idleTimeout.timeAmount)
            }
        }
    }

    func armKeepalive() {
        guard let context else { return }
        let due = lastReadAt + configuration.keepaliveInterval.timeAmount
        keepaliveTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) { [self] in
            keepaliveFired()
        }
    }

    private func keepaliveFired() {
        guard phase == .active || phase == .draining, let context else { return }
        let now = NIODeadline.now()
        if let sentAt = pingSentAt {
            if lastReadAt >= sentAt {
                pingSentAt = nil
            } else if now - sentAt >= configuration.keepaliveTimeout.timeAmount {
                metrics?.connectionFailed(.keepaliveTimeout)
                writeGoAway(.keepaliveTimeout, "no answer to PING within \(configuration.keepaliveTimeout)")
                closeNow()
                return
            } else {
                keepaliveTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: sentAt + configuration.keepaliveTimeout.timeAmount) { [self] in
                    keepaliveFired()
                }
                return
            }
        }
        if now - lastReadAt >= configuration.keepaliveInterval.timeAmount {
            pingSentAt = now
            var payload = ByteBuffer()
            payload.writeInteger(UInt64(now.uptimeNanoseconds))
            pendingPing(payload)
            keepaliveTimer = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.keepaliveTimeout.timeAmount) { [self] in
                keepaliveFired()
            }
        } else {
            armKeepalive()
        }
    }

    private func pendingPing(_ payload: ByteBuffer) {
        writer?.frame(.ping, streamID: 0, payload: payload.readableBytesView)
    }

    /// GOAWAY(NO_ERROR), then close once no call is open or the grace period has passed.
    func beginDrain(gracePeriod: Duration) {
        guard phase == .active || phase == .awaitingPreface, let context else {
            return
        }
        if phase == .awaitingPreface {
            closeNow()
            return
        }
        phase = .draining
        writeGoAway(.noError, "the server is shutting down")
        if streams.isEmpty {
            closeNow()
            return
        }
        drainTimer = context.eventLoop.assumeIsolated().scheduleTask(in: gracePeriod.timeAmount) { [self] in
            for id in streams.keys.sorted() {
                guard let stream = streams[id] else { continue }
                stream.call.finish(CallStatus(code: .unavailable, message: "the server shut down before the call finished"))
                // Finishing removed the stream, so closing will not abandon it: stop its handler here.
                stream.task?.cancel()
            }
            closeNow()
        }
    }
}
