/// Limits and timeouts of an ``RPCClient``'s connections.
///
/// ``defaults``: 10 s to connect (TCP + TLS), frames up to 4 MiB, 100 calls open at once
/// per connection (the server's default limit; further calls wait for one to end), 8 KiB of
/// metadata per response.
public struct ClientConfiguration: Sendable {
    /// Time allowed to open the TCP connection. Default 10 s.
    public var connectTimeout: Duration
    /// Largest frame payload accepted from the server, in bytes. Default 4 MiB.
    public var maxFrameSize: Int
    /// Calls open at once on one connection; a call beyond it waits until another ends.
    /// Keep it at or below the server's limit. Default 100.
    public var maxConcurrentCalls: Int
    /// Largest initial or trailing metadata accepted from the server, in bytes, counted as the
    /// server counts request metadata (``ServerConfiguration/maxMetadataSize``). A call whose
    /// response carries more ends with `RESOURCE_EXHAUSTED` (cancelled on the server when its
    /// initial metadata is too large). Default 8 KiB.
    public var maxMetadataSize: Int

    /// Creates a configuration; every argument defaults to the value in ``defaults``.
    public init(
        connectTimeout: Duration = .seconds(10),
        maxFrameSize: Int = 4 << 20,
        maxConcurrentCalls: Int = 100,
        maxMetadataSize: Int = 8 << 10
    ) {
        self.connectTimeout = connectTimeout
        self.maxFrameSize = maxFrameSize
        self.maxConcurrentCalls = maxConcurrentCalls
        self.maxMetadataSize = maxMetadataSize
    }

    /// The documented defaults.
    public static var defaults: ClientConfiguration { ClientConfiguration() }
}
