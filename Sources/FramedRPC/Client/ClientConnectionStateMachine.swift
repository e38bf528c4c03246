/// The lifecycle of one client connection, without I/O: whether it takes new calls, whether it
/// still reads, and which stream id the next call gets.
///
/// Each event is a mutating method that returns what to do; ``ClientConnectionHandler`` does it.
/// A plain struct stored inline in the handler: opening a call is a compare and an add.
struct ClientConnectionStateMachine {
    enum Phase: Equatable {
        /// Takes new calls.
        case open
        /// Takes no new calls (GOAWAY received, stream ids used up, closed by this side, or the
        /// connection failed); the calls already open go on and frames are still read.
        case closing
        /// The server broke the framing or protocol rules: no new calls, nothing more is read.
        case broken
    }

    private(set) var phase = Phase.open
    /// The id the next call gets: odd, increasing.
    private(set) var nextStreamID: UInt32

    /// A machine whose first call gets `firstStreamID` (1 on a new connection; tests start
    /// near the end of the id space).
    init(firstStreamID: UInt32 = 1) {
        nextStreamID = firstStreamID
    }

    /// Whether frames are still read.
    var reads: Bool { phase != .broken }

    /// What a call that stops the connection taking new calls asks for.
    enum OnUnusable: Equatable {
        /// Tell the transport, once, that this connection takes no new calls.
        case notify
        case none
    }

    enum OnOpenCall: Equatable {
        /// Open the call on `streamID`; with `unusable: .notify`, it was the last id: tell the transport
        /// the connection takes no new calls.
        case open(streamID: UInt32, unusable: OnUnusable)
        /// End the call with UNAVAILABLE: the connection is closing.
        case refuse
    }

    /// A call asks to open.
    mutating func openCall() -> OnOpenCall {
        guard phase == .open else { return .refuse }
        let id = nextStreamID
        nextStreamID += 2
        guard nextStreamID > UInt32(Int32.max) else { return .open(streamID: id, unusable: .none) }
        return .open(streamID: id, unusable: stopCalls())
    }

    /// The server sent GOAWAY: the calls it did not take end, and no new one opens.
    mutating func goAwayReceived() -> OnUnusable {
        stopCalls()
    }

    /// This side closes the connection.
    mutating func closeRequested() -> OnUnusable {
        stopCalls()
    }

    /// The connection failed or closed: every open call ends.
    mutating func connectionFailed() -> OnUnusable {
        stopCalls()
    }

    /// The server broke the framing or protocol rules: nothing more is read.
    mutating func protocolBroken() -> OnUnusable {
        let action = stopCalls()
        phase = .broken
        return action
    }

    /// Open → closing; `notify` the first time only.
    private mutating func stopCalls() -> OnUnusable {
        guard phase == .open else { return .none }
        phase = .closing
        return .notify
    }
}
