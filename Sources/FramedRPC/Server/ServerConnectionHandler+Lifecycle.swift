import NIOCore

// Idle timeout, keepalive and graceful drain.
extension ServerConnectionHandler {
    /// Called whenever a call leaves the table.
    func callEnded() {
        guard streams.isEmpty else { return }
        if phase == .draining {
            closeNow()
        } else {
            armIdleTimer()
        }
    }

    func armIdleTimer() {
        guard streams.isEmpty, idleTimer == nil, let context else { return }
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.idleTimeout.timeAmount) { [self] in
            idleTimer = nil
            guard streams.isEmpty, phase == .active else { return }
            writeGoAway(.idleTimeout, "no call for \(configuration.idleTimeout)")
            closeNow()
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
        enqueueFrame(.ping, streamID: 0, payload: payload.readableBytesView)
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
        setPhase(.draining)
        writeGoAway(.noError, "the server is shutting down")
        idleTimer?.cancel()
        idleTimer = nil
        if streams.isEmpty {
            closeNow()
            return
        }
        drainTimer = context.eventLoop.assumeIsolated().scheduleTask(in: gracePeriod.timeAmount) { [self] in
            for id in streams.keys.sorted() {
                streams[id]?.call.finish(CallStatus(code: .unavailable, message: "the server shut down before the call finished"))
            }
            closeNow()
        }
    }
}
