import NIOCore
import Synchronization

/// The connections the CardDAV port holds, from each client address and in all: a connection
/// past either limit is closed as soon as it opens, before its TLS handshake costs anything.
final class ConnectionLimiter: Sendable {
    private struct State {
        var total = 0
        var perAddress: [String: Int] = [:]
    }

    private let state = Mutex(State())
    let maxConnections: Int
    let maxConnectionsPerAddress: Int

    init(maxConnections: Int, maxConnectionsPerAddress: Int) {
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
    }

    /// Counts a connection from `address` and says whether it may stay; one that may not is not counted.
    func admit(_ address: String) -> Bool {
        state.withLock { state in
            guard state.total < maxConnections, state.perAddress[address, default: 0] < maxConnectionsPerAddress else { return false }
            state.total += 1
            state.perAddress[address, default: 0] += 1
            return true
        }
    }

    /// Forgets a connection ``admit(_:)`` let in.
    func release(_ address: String) {
        state.withLock { state in
            state.total -= 1
            let left = state.perAddress[address, default: 1] - 1
            state.perAddress[address] = left > 0 ? left : nil
        }
    }

    /// Whom a connection counts against: its IPv4 address, or the /64 network of its IPv6 one
    /// (a host holds a /64 to itself; an IPv4 address mapped into IPv6 counts as itself).
    static func origin(of address: SocketAddress?) -> String {
        guard case .v6(let v6) = address else { return address?.ipAddress ?? "unknown" }
        let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        if bytes.prefix(10).allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return bytes.suffix(4).map(String.init).joined(separator: ".")
        }
        return bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: ":") + "::/64"
    }

    /// A handler for each connection: asks the limiter when the connection opens and
    /// tells it when it closes.
    func handler() -> any RemovableChannelHandler { Handler(limiter: self) }

    private final class Handler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
        // @unchecked: a handler lives on its channel's event loop, as every NIO handler.
        typealias InboundIn = NIOAny

        let limiter: ConnectionLimiter
        private var admitted: String?

        init(limiter: ConnectionLimiter) {
            self.limiter = limiter
        }

        func channelActive(context: ChannelHandlerContext) {
            let address = ConnectionLimiter.origin(of: context.remoteAddress)
            guard limiter.admit(address) else {
                context.close(promise: nil)
                return
            }
            admitted = address
            context.fireChannelActive()
        }

        func channelInactive(context: ChannelHandlerContext) {
            if let admitted { limiter.release(admitted) }
            admitted = nil
            context.fireChannelInactive()
        }
    }
}
