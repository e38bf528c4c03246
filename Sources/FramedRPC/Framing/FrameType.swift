/// The frame types of protocol version 1 (docs/PROTOCOL.md §3).
enum FrameType: UInt8, Sendable, CaseIterable {
    case headers = 0x01
    case message = 0x02
    case halfClose = 0x03
    case status = 0x04
    case cancel = 0x05
    case windowUpdate = 0x06
    case ping = 0x07
    case pong = 0x08
    case goAway = 0x09

    /// Whether the frame belongs to the connection (stream id 0) rather than a call.
    var isConnectionFrame: Bool {
        switch self {
        case .ping, .pong, .goAway: true
        default: false
        }
    }

    /// The payload size the type requires, or `nil` when it varies.
    var requiredPayloadSize: Int? {
        switch self {
        case .halfClose, .cancel: 0
        case .windowUpdate: 4
        case .ping, .pong: 8
        case .headers, .message, .status, .goAway: nil
        }
    }
}
