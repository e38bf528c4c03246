/// Limits and timeouts of an ``RPCClient``'s connections.
///
/// ``defaults``: 10 s to connect (TCP + TLS), frames up to 4 MiB.
public struct ClientConfiguration: Sendable {
    /// Time allowed to open the TCP connection. Default 10 s.
    public var connectTimeout: Duration
    /// Largest frame payload accepted from the server, in bytes. Default 4 MiB.
    public var maxFrameSize: Int

    /// Creates a configuration; every argument defaults to the value in ``defaults``.
    public init(connectTimeout: Duration = .seconds(10), maxFrameSize: Int = 4 << 20) {
        self.connectTimeout = connectTimeout
        self.maxFrameSize = maxFrameSize
    }

    /// The documented defaults.
    public static var defaults: ClientConfiguration { ClientConfiguration() }
}
