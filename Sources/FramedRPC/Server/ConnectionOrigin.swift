import NIOCore

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The client address that the per-address connection limits count by.
///
/// An IPv4 address counts alone. An IPv6 address counts by its /64 prefix: a subscriber is
/// usually given a whole /64 (RFC 6177), so counting single IPv6 addresses would let one
/// client open as many connections as it has addresses. An IPv4-mapped IPv6 address
/// (`::ffff:a.b.c.d`, a dual-stack socket) counts as its IPv4 address.
enum ConnectionOrigin: Hashable, Sendable {
    /// An IPv4 address, in network byte order.
    case ipv4(UInt32)
    /// The first 64 bits of an IPv6 address.
    case ipv6Prefix(UInt64)
    /// A Unix domain socket: every such peer is one origin.
    case local

    /// Bits of an IPv6 address that name one client.
    static let ipv6PrefixBits = 64

    init(_ address: SocketAddress) {
        switch address {
        case .v4(let v4):
            self = .ipv4(v4.address.sin_addr.s_addr)
        case .v6(let v6):
            self = withUnsafeBytes(of: v6.address.sin6_addr) { bytes in
                // ::ffff:0:0/96 holds an IPv4 address in its last four bytes.
                let mapped = bytes.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
                if mapped {
                    return .ipv4(bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
                }
                let prefixBytes = Self.ipv6PrefixBits / 8
                return .ipv6Prefix(bytes.prefix(prefixBytes).reduce(0) { $0 << 8 | UInt64($1) })
            }
        case .unixDomainSocket:
            self = .local
        }
    }
}
