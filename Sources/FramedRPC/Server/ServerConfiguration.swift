/// Every limit and timeout of an ``RPCServer``.
///
/// ``defaults``: frames up to 4 MiB, 100 open calls per connection, 1,024 connections,
/// 10 s for the TLS handshake and preface, connections closed after 300 s without a call,
/// a keepalive PING after 60 s of silence answered within 20 s, 30 s to drain on shutdown,
/// 1 s for a closing TLS connection to receive the client's close_notify, handlers run on the
/// connection's event loop; per client address 256 connections of which 32 may be in their
/// handshake; 8 KiB of metadata per call; reading a peer paused while more than 64 KiB wait to
/// be sent to it, and a peer closed once more than 8 MiB wait.
public struct ServerConfiguration: Sendable {
    /// Largest frame payload accepted, in bytes; larger headers end the connection
    /// (GOAWAY `FRAME_TOO_LARGE`) before the payload is read. Default 4 MiB.
    public var maxFrameSize: Int
    /// Open calls allowed per connection; a call beyond it ends with `RESOURCE_EXHAUSTED`.
    /// Default 100.
    public var maxConcurrentCallsPerConnection: Int
    /// Open connections allowed. When they are all taken, a new connection closes the oldest
    /// one still in its TLS handshake and preface, or is closed on accept if there is none
    /// (so unfinished handshakes never keep a client out). Default 1,024.
    public var maxConnections: Int
    /// Time allowed from accept to a complete TLS handshake and preface. Default 10 s.
    public var handshakeTimeout: Duration
    /// A connection with no open call for this long is closed (GOAWAY `IDLE_TIMEOUT`).
    /// Default 300 s.
    public var idleTimeout: Duration
    /// After this long without receiving anything the server sends a PING. Default 60 s.
    public var keepaliveInterval: Duration
    /// If nothing arrives this long after a keepalive PING, the connection is closed
    /// (GOAWAY `KEEPALIVE_TIMEOUT`). Default 20 s.
    public var keepaliveTimeout: Duration
    /// How long a graceful shutdown waits for open calls before ending them with `UNAVAILABLE`.
    /// Default 30 s.
    public var drainGracePeriod: Duration
    /// How long a closing TLS connection waits for the client's close_notify before it closes
    /// the socket anyway. It bounds every close, so a client that stops reading holds a closed
    /// connection (and a graceful shutdown) this long at most. Default 1 s.
    public var tlsCloseTimeout: Duration
    /// Whether handlers run on the connection's event-loop thread (no thread hop per call;
    /// handlers must not block) or on Swift's global concurrent executor. Default `true`.
    public var runHandlersOnEventLoop: Bool
    /// Open connections allowed from one client address (an IPv4 address, or an IPv6 /64);
    /// beyond it a new connection from that address closes the address's oldest connection
    /// still in its handshake, or is closed on accept if there is none. Default 256: an office
    /// or campus behind one NAT address, each device with a connection, fits; four addresses
    /// are needed to take all of the default ``maxConnections``. Raise both together for a
    /// service whose clients sit behind carrier-grade NAT.
    public var maxConnectionsPerAddress: Int
    /// Connections from one client address that may be in their TLS handshake and preface at
    /// once; beyond it a new connection from that address closes the address's oldest such
    /// connection. Default 32: a handshake takes a few round trips, so even a NAT'd office
    /// reconnecting at once rarely has 32 in flight, while one address cannot hold more than
    /// 32 of the slots that others' handshakes compete for.
    public var maxPendingHandshakesPerAddress: Int
    /// Largest metadata a call's HEADERS may carry, in bytes counted as HTTP/2 and gRPC count
    /// a header list: each entry's key and value plus 32 (so at most 256 entries fit in the
    /// default). A call over it ends with `RESOURCE_EXHAUSTED`; a HEADERS payload over it plus
    /// 1 KiB is refused so without being decoded. Default 8 KiB (gRPC's default).
    public var maxMetadataSize: Int
    /// While more than this many bytes wait to be sent on a connection, the server reads
    /// nothing more from that peer (so it cannot provoke more writes: PONGs, WINDOW_UPDATEs);
    /// reading resumes once less than half of it waits. Default 64 KiB.
    public var writeBufferHighWaterMark: Int
    /// A connection with more than this many bytes waiting to be sent (responses its calls
    /// keep writing to a peer that does not read) is closed, its calls cancelled; values below
    /// ``writeBufferHighWaterMark`` act as that mark. Default 8 MiB (a few calls' 1 MiB windows).
    public var maxBufferedOutboundBytes: Int

    /// Creates a configuration; every argument defaults to the value in ``defaults``.
    public init(
        maxFrameSize: Int = 4 << 20,
        maxConcurrentCallsPerConnection: Int = 100,
        maxConnections: Int = 1024,
        handshakeTimeout: Duration = .seconds(10),
        idleTimeout: Duration = .seconds(300),
        keepaliveInterval: Duration = .seconds(60),
        keepaliveTimeout: Duration = .seconds(20),
        drainGracePeriod: Duration = .seconds(30),
        tlsCloseTimeout: Duration = .seconds(1),
        runHandlersOnEventLoop: Bool = true,
        maxConnectionsPerAddress: Int = 256,
        maxPendingHandshakesPerAddress: Int = 32,
        maxMetadataSize: Int = 8 << 10,
        writeBufferHighWaterMark: Int = 64 << 10,
        maxBufferedOutboundBytes: Int = 8 << 20
    ) {
        self.maxFrameSize = maxFrameSize
        self.maxConcurrentCallsPerConnection = maxConcurrentCallsPerConnection
        self.maxConnections = maxConnections
        self.handshakeTimeout = handshakeTimeout
        self.idleTimeout = idleTimeout
        self.keepaliveInterval = keepaliveInterval
        self.keepaliveTimeout = keepaliveTimeout
        self.drainGracePeriod = drainGracePeriod
        self.tlsCloseTimeout = tlsCloseTimeout
        self.runHandlersOnEventLoop = runHandlersOnEventLoop
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.maxPendingHandshakesPerAddress = maxPendingHandshakesPerAddress
        self.maxMetadataSize = maxMetadataSize
        self.writeBufferHighWaterMark = writeBufferHighWaterMark
        self.maxBufferedOutboundBytes = maxBufferedOutboundBytes
    }

    /// The documented defaults.
    public static var defaults: ServerConfiguration { ServerConfiguration() }
}
