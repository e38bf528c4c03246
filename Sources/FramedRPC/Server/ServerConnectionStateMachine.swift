import NIOCore

/// The lifecycle of one server connection, without I/O: which phase it is in (awaiting the
/// client's preface, active, draining, closed), when it last read, since when no call has been
/// open, and whether a keepalive PING is unanswered.
///
/// Each event is a mutating method that returns what to do; ``ServerConnectionHandler`` does it
/// (writes, closes, arms and cancels the timers) and does not decide. Time comes in as the
/// event loop's `NIODeadline`, so tests drive it with any clock. A plain struct stored inline
/// in the handler: the per-read and per-call events are stores, with no allocation.
struct ServerConnectionStateMachine {
    enum Phase: Equatable {
        /// Accepted; the TLS handshake and the client's preface are not complete.
        case awaitingPreface
        /// Serving calls.
        case active
        /// GOAWAY `NO_ERROR` sent: open calls finish, new ones are refused.
        case draining
        /// Closed or closing: nothing more is read or sent.
        case closed
    }

    /// A GOAWAY to send: its code and message (the handler adds the last stream id).
    struct GoAway: Equatable {
        var code: Framedrpc_V1_GoAwayCode
        var message: String
    }

    /// The timeouts the machine applies, from ``ServerConfiguration``.
    struct Timeouts {
        var handshake: Duration
        var idle: Duration
        var keepaliveInterval: Duration
        var keepaliveTimeout: Duration

        init(_ configuration: ServerConfiguration) {
            handshake = configuration.connection.handshakeTimeout
            idle = configuration.connection.idleTimeout
            keepaliveInterval = configuration.keepalive.interval
            keepaliveTimeout = configuration.keepalive.timeout
        }
    }

    private(set) var phase = Phase.awaitingPreface
    let timeouts: Timeouts
    /// When the last call ended (or the connection started); `nil` while a call is open.
    private(set) var idleSince: NIODeadline?
    /// When the connection last read anything.
    private(set) var lastReadAt: NIODeadline
    /// When the unanswered keepalive PING was sent; `nil` when none is.
    private(set) var pingSentAt: NIODeadline?

    /// A machine for a connection that has not started; ``started(now:)`` starts its clock.
    init(timeouts: Timeouts) {
        self.timeouts = timeouts
        self.lastReadAt = .uptimeNanoseconds(0)
    }

    /// Whether the connection reads: false once it is closed.
    var isOpen: Bool { phase != .closed }

    /// Whether a new call may start; a draining connection refuses it with UNAVAILABLE.
    var acceptsCalls: Bool { phase == .active }

    // MARK: - Start and preface

    /// The connection was accepted at `now`. Returns when the handshake timer fires: the TLS
    /// handshake and the preface must be complete by then.
    mutating func started(now: NIODeadline) -> NIODeadline {
        idleSince = now
        lastReadAt = now
        return now + timeouts.handshake.timeAmount
    }

    enum OnPreface: Equatable {
        /// Stop the handshake timer, report the connection established, send the server's
        /// preface, and arm the idle and keepalive timers at these deadlines.
        case accept(idleDeadline: NIODeadline, keepaliveDeadline: NIODeadline)
        /// Nothing (not awaiting a preface).
        case none
    }

    /// The client's preface arrived, valid.
    mutating func prefaceReceived(now: NIODeadline) -> OnPreface {
        guard phase == .awaitingPreface else { return .none }
        phase = .active
        return .accept(
            idleDeadline: now + timeouts.idle.timeAmount,
            keepaliveDeadline: lastReadAt + timeouts.keepaliveInterval.timeAmount)
    }

    enum OnHandshakeTimer: Equatable {
        /// Close without a word: the peer never finished its handshake and preface.
        case close
        case none
    }

    func handshakeTimerFired() -> OnHandshakeTimer {
        phase == .awaitingPreface ? .close : .none
    }

    // MARK: - Reads and calls

    /// Bytes arrived (any frame counts as a sign of life for the keepalive).
    mutating func read(now: NIODeadline) {
        lastReadAt = now
    }

    /// A PONG arrived: the keepalive PING is answered.
    mutating func pongReceived() {
        pingSentAt = nil
    }

    /// A call started (the connection is not idle while it is open).
    mutating func callStarted() {
        idleSince = nil
    }

    enum OnLastCallEnded: Equatable {
        /// Close: the connection was draining and its last call ended.
        case close
        case none
    }

    /// The last open call ended: the connection is idle from `now`.
    mutating func lastCallEnded(now: NIODeadline) -> OnLastCallEnded {
        idleSince = now
        return phase == .draining ? .close : .none
    }

    // MARK: - Idle and keepalive timers

    enum OnIdleTimer: Equatable {
        /// No call for the idle timeout: send this GOAWAY and close (a graceful close).
        case goAwayAndClose(GoAway)
        /// Arm the idle timer again at this deadline, the first time the connection could be
        /// idle long enough (so calls coming and going never touch the timer).
        case rearm(NIODeadline)
        case none
    }

    mutating func idleTimerFired(now: NIODeadline, hasOpenCalls: Bool) -> OnIdleTimer {
        guard phase == .active else { return .none }
        let idle = timeouts.idle.timeAmount
        if !hasOpenCalls, let idleSince, now - idleSince >= idle {
            return .goAwayAndClose(GoAway(code: .idleTimeout, message: "no call for \(timeouts.idle)"))
        }
        return .rearm((hasOpenCalls ? now : idleSince ?? now) + idle)
    }

    enum OnKeepaliveTimer: Equatable {
        /// Send a PING carrying `payload` and arm the keepalive timer again at the deadline.
        case ping(payload: UInt64, rearmAt: NIODeadline)
        /// Arm the keepalive timer again at this deadline.
        case rearm(NIODeadline)
        /// The PING went unanswered: send this GOAWAY, count a connection failure, close.
        case fail(GoAway)
        case none
    }

    mutating func keepaliveTimerFired(now: NIODeadline) -> OnKeepaliveTimer {
        guard phase == .active || phase == .draining else { return .none }
        if let sentAt = pingSentAt {
            if lastReadAt >= sentAt {
                pingSentAt = nil
            } else if now - sentAt >= timeouts.keepaliveTimeout.timeAmount {
                return .fail(GoAway(code: .keepaliveTimeout, message: "no answer to PING within \(timeouts.keepaliveTimeout)"))
            } else {
                return .rearm(sentAt + timeouts.keepaliveTimeout.timeAmount)
            }
        }
        guard now - lastReadAt >= timeouts.keepaliveInterval.timeAmount else {
            return .rearm(lastReadAt + timeouts.keepaliveInterval.timeAmount)
        }
        pingSentAt = now
        return .ping(payload: UInt64(now.uptimeNanoseconds), rearmAt: now + timeouts.keepaliveTimeout.timeAmount)
    }

    // MARK: - Drain and close

    enum OnDrain: Equatable {
        /// Close without a GOAWAY (the preface never came, so the peer reads no frames).
        case close
        /// Send GOAWAY and close: no call is open.
        case goAwayAndClose(GoAway)
        /// Send GOAWAY and arm the drain timer at this deadline, when open calls are ended.
        case goAwayAndWait(GoAway, until: NIODeadline)
        /// Nothing (draining or closed already).
        case none
    }

    /// The server shuts down: drain within `gracePeriod`.
    mutating func drainRequested(gracePeriod: Duration, now: NIODeadline, hasOpenCalls: Bool) -> OnDrain {
        switch phase {
        case .awaitingPreface:
            return .close
        case .active:
            phase = .draining
            let goAway = GoAway(code: .noError, message: "the server is shutting down")
            return hasOpenCalls ? .goAwayAndWait(goAway, until: now + gracePeriod.timeAmount) : .goAwayAndClose(goAway)
        case .draining, .closed:
            return .none
        }
    }

    enum OnDrainTimer: Equatable {
        /// End every open call with UNAVAILABLE, cancel its handler, and close.
        case finishCallsAndClose
        case none
    }

    /// The drain's grace period has passed.
    func drainTimerFired() -> OnDrainTimer {
        phase == .draining ? .finishCallsAndClose : .none
    }

    /// The connection closes (for any reason): nothing more is read, every timer is cancelled.
    mutating func closed() {
        phase = .closed
    }
}
