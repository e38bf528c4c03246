/// A breach of the framing rules, found while decoding. Each ends the connection.
enum FramingError: Error, Equatable, CustomStringConvertible {
    /// The first bytes are not the FramedRPC magic: the peer speaks something else.
    case badMagic
    /// The preface names a major version this side does not speak.
    case unsupportedVersion(major: UInt8, minor: UInt8)
    /// A header announced more payload than the limit; the payload was not read.
    case frameTooLarge(length: Int, limit: Int)
    /// A header carried a type this version does not define.
    case unknownFrameType(UInt8)

    var description: String {
        switch self {
        case .badMagic:
            "connection preface is not FRPC\\r\\n: the peer does not speak FramedRPC"
        case .unsupportedVersion(let major, let minor):
            "protocol version \(major).\(minor) is not supported; this peer speaks \(Preface.current.major).\(Preface.current.minor)"
        case .frameTooLarge(let length, let limit):
            "frame of \(length) bytes exceeds the \(limit)-byte limit"
        case .unknownFrameType(let type):
            "unknown frame type 0x\(String(type, radix: 16))"
        }
    }
}
