import NIOCore

// The preface, idle timeout, keepalive and graceful drain: `state` decides, these methods do
// what it returns (write, close, arm a timer). Times are the event loop's `now`, so a test's
// loop (EmbeddedEventLoop, NIOAsyncTestingEventLoop) drives them with `advanceTime`.
extension ServerConnectionHandler {
    func acceptPreface() {
        guard let context else { return }
        switch state.prefaceReceived(now: context.eventLoop.now) {
        case .accept(let idleDeadline, let keepaliveDeadline):
            handshakeTimer?.cancel()
            handshakeTimer = nil
            onEstablished?()
            onEstablished = nil
            writer?.raw(Preface.current.bytes)
            armIdleTimer(at: idleDeadline)
            armKeepaliveTimer(at: keepaliveDeadline)
        case .none:
            break
        }
    }

    func handshakeTimerFired() {
        switch state.handshakeTimerFired() {
        case .close: closeNow()
        case .none: break
        }
    }

    /// Called whenever a call leaves the table.
    func callEnded() {
        guard streams.isEmpty, let context else { return }
        switch state.lastCallEnded(now: context.eventLoop.now) {
        case .close: closeNow()
        case .none: break
        }
    }

    private func armIdleTimer(at deadline: NIODeadline) {
        guard let context else { return }
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            idleTimerFired()
        }
    }

    private func idleTimerFired() {
        guard let context else { return }
        switch state.idleTimerFired(now: context.eventLoop.now, hasOpenCalls: !streams.isEmpty) {
        case .goAwayAndClose(let goAway):
            writeGoAway(goAway.code, goAway.message)
            closeNow()
        case .rearm(let deadline):
            armIdleTimer(at: deadline)
        case .none:
            break
        }
    }

    private func armKeepaliveTimer(at deadline: NIODeadline) {
        guard let context else { return }
        keepaliveTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            keepaliveTimerFired()
        }
    }

    private func keepaliveTimerFired() {
        guard let context else { return }
        switch state.keepaliveTimerFired(now: context.eventLoop.now) {
        case .ping(let payload, let deadline):
            var bytes = ByteBuffer()
            bytes.writeInteger(payload)
            writer?.frame(.ping, streamID: 0, payload: bytes.readableBytesView)
            armKeepaliveTimer(at: deadline)
        case .rearm(let deadline):
            armKeepaliveTimer(at: deadline)
        case .fail(let goAway):
            connectionError(goAway.code, goAway.message)
        case .none:
            break
        }
    }

    /// GOAWAY(NO_ERROR), then close once no call is open or the grace period has passed.
    func beginDrain(gracePeriod: Duration) {
        guard let context else { return }
        switch state.drainRequested(gracePeriod: gracePeriod, now: context.eventLoop.now, hasOpenCalls: !streams.isEmpty) {
        case .close:
            closeNow()
        case .goAwayAndClose(let goAway):
            writeGoAway(goAway.code, goAway.message)
            closeNow()
        case .goAwayAndWait(let goAway, let deadline):
            writeGoAway(goAway.code, goAway.message)
            drainTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
                drainTimerFired()
            }
        case .none:
            break
        }
    }

    private func drainTimerFired() {
        switch state.drainTimerFired() {
        case .finishCallsAndClose:
            for id in streams.keys.sorted() {
                guard let stream = streams[id] else { continue }
                stream.call.finish(CallStatus(code: .unavailable, message: "the server shut down before the call finished"))
                // Finishing removed the stream, so closing will not abandon it: stop its handler here.
                stream.task?.cancel()
            }
            closeNow()
        case .none:
            break
        }
    }
}
