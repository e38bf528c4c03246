/// Limits and timeouts of an ``RPCClient``'s connections: start from ``defaults`` and change
/// what differs. Each value is written once, in ``defaults``.
public struct ClientConfiguration: Sendable {
    /// Time allowed to open the TCP connection.
    public var connectTimeout: Duration
    /// Largest frame payload accepted from the server, in bytes.
    public var maxFrameSize: Int
    /// Calls open at once on one connection; a call beyond it waits until another ends.
    /// Keep it at or below the server's limit.
    public var maxConcurrentCalls: Int
    /// Largest initial or trailing metadata accepted from the server, in bytes, counted as the
    /// server counts request metadata (``ServerConfiguration/Frames/maxMetadataSize``). A call whose
    /// response carries more ends with `RESOURCE_EXHAUSTED` (cancelled on the server when its
    /// initial metadata is too large).
    public var maxMetadataSize: Int

    /// Creates a configuration.
    public init(connectTimeout: Duration, maxFrameSize: Int, maxConcurrentCalls: Int, maxMetadataSize: Int) {
        self.connectTimeout = connectTimeout
        self.maxFrameSize = maxFrameSize
        self.maxConcurrentCalls = maxConcurrentCalls
        self.maxMetadataSize = maxMetadataSize
    }

    /// 10 s to connect (TCP + TLS); frames up to 4 MiB; 100 calls open at once per connection
    /// (the server's default limit; further calls wait for one to end); 8 KiB of metadata per
    /// response.
    public static var defaults: ClientConfiguration {
        ClientConfiguration(connectTimeout: .seconds(10), maxFrameSize: 4 << 20, maxConcurrentCalls: 100, maxMetadataSize: 8 << 10)
    }
}
