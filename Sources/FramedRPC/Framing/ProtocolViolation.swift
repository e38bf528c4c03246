/// A broken protocol rule found by a connection handler; ends the connection with GOAWAY.
struct ProtocolViolation: Error {
    var code: Framedrpc_V1_GoAwayCode
    var message: String

    static func protocolError(_ message: String) -> ProtocolViolation {
        ProtocolViolation(code: .protocolError, message: message)
    }
}

extension Frame {
    /// Checks the rules every frame obeys whatever the connection state: stream id 0 exactly
    /// for connection frames, and the payload size the type requires.
    func checkShape() throws(ProtocolViolation) {
        if type.isConnectionFrame, streamID != 0 {
            throw .protocolError("\(type) frame on stream \(streamID): connection frames use stream 0")
        }
        if !type.isConnectionFrame, streamID == 0 {
            throw .protocolError("\(type) frame on stream 0: call frames need a stream id")
        }
        if let size = type.requiredPayloadSize, payload.readableBytes != size {
            throw .protocolError("\(type) frame with a \(payload.readableBytes)-byte payload: it must be \(size) bytes")
        }
    }

    /// The increment of a WINDOW_UPDATE frame, checked to be 1…2³¹−1.
    func windowIncrement() throws(ProtocolViolation) -> Int {
        guard let increment = payload.getInteger(at: payload.readerIndex, as: UInt32.self),
            increment > 0, increment <= UInt32(FlowControl.maxWindow)
        else { throw .protocolError("WINDOW_UPDATE increment must be 1...2^31-1") }
        return Int(increment)
    }
}
