import NIOCore
import Testing

@testable import FramedRPC

/// The server connection's lifecycle decisions, without a channel: time is whatever the test
/// passes in.
@Suite("Server connection state machine")
struct ServerConnectionStateMachineTests {
    static let configuration = ServerConfiguration.with {
        $0.connection.handshakeTimeout = .seconds(10)
        $0.connection.idleTimeout = .seconds(300)
        $0.keepalive.interval = .seconds(60)
        $0.keepalive.timeout = .seconds(20)
    }
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    /// A machine started at `start`, its preface accepted then unless `preface` is false.
    static func machine(preface: Bool = true) -> ServerConnectionStateMachine {
        var machine = ServerConnectionStateMachine(timeouts: .init(configuration))
        _ = machine.started(now: start)
        if preface {
            machine.read(now: start)
            _ = machine.prefaceReceived(now: start)
        }
        return machine
    }

    static func at(seconds: Int64) -> NIODeadline {
        start + .seconds(seconds)
    }

    @Test("the handshake timer is due after the handshake timeout, and closes a connection without a preface")
    func handshake() {
        var machine = ServerConnectionStateMachine(timeouts: .init(Self.configuration))
        #expect(machine.started(now: Self.start) == Self.at(seconds: 10))
        #expect(machine.phase == .awaitingPreface)
        #expect(!machine.acceptsCalls)
        #expect(machine.handshakeTimerFired() == .close)
    }

    @Test("the preface makes the connection active and arms the idle and keepalive timers")
    func preface() {
        var machine = Self.machine(preface: false)
        machine.read(now: Self.at(seconds: 1))
        #expect(machine.prefaceReceived(now: Self.at(seconds: 1)) == .accept(idleDeadline: Self.at(seconds: 301), keepaliveDeadline: Self.at(seconds: 61)))
        #expect(machine.phase == .active)
        #expect(machine.acceptsCalls)
        #expect(machine.prefaceReceived(now: Self.at(seconds: 2)) == .none)
        #expect(machine.handshakeTimerFired() == .none)
    }

    @Test("the idle timer closes a connection without calls for the idle timeout with GOAWAY IDLE_TIMEOUT")
    func idleClose() {
        var machine = Self.machine()
        #expect(
            machine.idleTimerFired(now: Self.at(seconds: 300), hasOpenCalls: false)
                == .goAwayAndClose(.init(code: .idleTimeout, message: "no call for 300.0 seconds")))
    }

    @Test("the idle timer re-arms while a call is open, and from the end of the last call")
    func idleRearm() {
        var machine = Self.machine()
        machine.callStarted()
        #expect(machine.idleTimerFired(now: Self.at(seconds: 300), hasOpenCalls: true) == .rearm(Self.at(seconds: 600)))
        #expect(machine.lastCallEnded(now: Self.at(seconds: 400)) == .none)
        #expect(machine.idleTimerFired(now: Self.at(seconds: 600), hasOpenCalls: false) == .rearm(Self.at(seconds: 700)))
        #expect(machine.idleTimerFired(now: Self.at(seconds: 700), hasOpenCalls: false) != .none)
    }

    @Test("keepalive: a PING after the interval without reads, then GOAWAY KEEPALIVE_TIMEOUT without an answer")
    func keepaliveUnanswered() {
        var machine = Self.machine()
        let ping = Self.at(seconds: 60)
        #expect(machine.keepaliveTimerFired(now: ping) == .ping(payload: UInt64(ping.uptimeNanoseconds), rearmAt: Self.at(seconds: 80)))
        #expect(machine.keepaliveTimerFired(now: Self.at(seconds: 70)) == .rearm(Self.at(seconds: 80)))
        #expect(
            machine.keepaliveTimerFired(now: Self.at(seconds: 80))
                == .fail(.init(code: .keepaliveTimeout, message: "no answer to PING within 20.0 seconds")))
    }

    @Test("keepalive: any read after the PING answers it, as does a PONG; reads put the PING off")
    func keepaliveAnswered() {
        var machine = Self.machine()
        machine.read(now: Self.at(seconds: 30))
        #expect(machine.keepaliveTimerFired(now: Self.at(seconds: 60)) == .rearm(Self.at(seconds: 90)))
        #expect(machine.keepaliveTimerFired(now: Self.at(seconds: 90)) != .none)
        machine.read(now: Self.at(seconds: 95))
        #expect(machine.keepaliveTimerFired(now: Self.at(seconds: 110)) == .rearm(Self.at(seconds: 155)))
        guard case .ping = machine.keepaliveTimerFired(now: Self.at(seconds: 155)) else {
            Issue.record("no PING after a quiet interval")
            return
        }
        machine.pongReceived()
        #expect(machine.pingSentAt == nil)
    }

    @Test("drain before the preface closes without a GOAWAY")
    func drainBeforePreface() {
        var machine = Self.machine(preface: false)
        #expect(machine.drainRequested(gracePeriod: .seconds(30), now: Self.start, hasOpenCalls: false) == .close)
    }

    @Test("drain without calls: GOAWAY NO_ERROR and close; asked again, nothing")
    func drainIdle() {
        var machine = Self.machine()
        #expect(
            machine.drainRequested(gracePeriod: .seconds(30), now: Self.start, hasOpenCalls: false)
                == .goAwayAndClose(.init(code: .noError, message: "the server is shutting down")))
        #expect(machine.drainRequested(gracePeriod: .seconds(30), now: Self.start, hasOpenCalls: false) == .none)
    }

    @Test("drain with calls: GOAWAY, new calls refused, close when the last call ends or the grace period passes")
    func drainWithCalls() {
        var machine = Self.machine()
        machine.callStarted()
        #expect(
            machine.drainRequested(gracePeriod: .seconds(30), now: Self.at(seconds: 5), hasOpenCalls: true)
                == .goAwayAndWait(.init(code: .noError, message: "the server is shutting down"), until: Self.at(seconds: 35)))
        #expect(machine.phase == .draining)
        #expect(!machine.acceptsCalls)
        #expect(machine.idleTimerFired(now: Self.at(seconds: 400), hasOpenCalls: true) == .none)
        #expect(machine.keepaliveTimerFired(now: Self.at(seconds: 60)) != .none)
        #expect(machine.drainTimerFired() == .finishCallsAndClose)
        #expect(machine.lastCallEnded(now: Self.at(seconds: 35)) == .close)
    }

    @Test("a closed connection reads nothing and its timers do nothing")
    func closed() {
        var machine = Self.machine()
        machine.closed()
        #expect(!machine.isOpen)
        #expect(!machine.acceptsCalls)
        #expect(machine.idleTimerFired(now: Self.at(seconds: 300), hasOpenCalls: false) == .none)
        #expect(machine.keepaliveTimerFired(now: Self.at(seconds: 60)) == .none)
        #expect(machine.drainTimerFired() == .none)
        #expect(machine.drainRequested(gracePeriod: .seconds(1), now: Self.start, hasOpenCalls: false) == .none)
        #expect(machine.lastCallEnded(now: Self.start) == .none)
    }
}
