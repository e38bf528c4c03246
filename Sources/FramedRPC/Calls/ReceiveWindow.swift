/// The receiver's record of how much its peer may still send on one call
/// (docs/PROTOCOL.md §5): the initial window, plus every increment sent, minus every
/// MESSAGE payload byte received.
struct ReceiveWindow {
    private var bytes = FlowControl.initialWindow

    /// Accounts for an arriving MESSAGE of `length` payload bytes. Throws
    /// `FLOW_CONTROL_ERROR` when the peer sent it while its window was not positive.
    mutating func receive(_ length: Int, streamID: UInt32) throws(ProtocolViolation) {
        guard bytes > 0 else {
            throw ProtocolViolation(code: .flowControlError, message: "MESSAGE on stream \(streamID) beyond its flow-control window")
        }
        bytes -= length
    }

    /// Accounts for a WINDOW_UPDATE of `increment` this side is sending.
    mutating func credit(_ increment: Int) {
        bytes += increment
    }
}
