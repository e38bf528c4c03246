/// The 8-byte connection preface: magic `FRPC\r\n`, then major and minor version
/// (docs/PROTOCOL.md §2).
struct Preface: Sendable, Equatable {
    /// `F R P C \r \n`.
    static let magic: [UInt8] = [0x46, 0x52, 0x50, 0x43, 0x0D, 0x0A]
    /// Bytes in a preface.
    static let size = 8
    /// The version this implementation speaks.
    static let current = Preface(major: 1, minor: 0)

    var major: UInt8
    var minor: UInt8

    /// The preface's bytes.
    var bytes: [UInt8] { Preface.magic + [major, minor] }
}
