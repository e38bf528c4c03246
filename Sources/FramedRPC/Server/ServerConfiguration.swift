/// Every limit and timeout of an ``RPCServer``.
///
/// ``defaults``: frames up to 4 MiB, 100 open calls per connection, 1,024 connections,
/// 10 s for the TLS handshake and preface, connections closed after 300 s without a call,
/// a keepalive PING after 60 s of silence answered within 20 s, 30 s to drain on shutdown,
/// handlers run on the connection's event loop, reading a peer paused while more than 64 KiB
/// wait to be sent to it, and a peer closed once more than 8 MiB wait.
public struct ServerConfiguration: Sendable {
    /// Largest frame payload accepted, in bytes; larger headers end the connection
    /// (GOAWAY `FRAME_TOO_LARGE`) before the payload is read. Default 4 MiB.
    public var maxFrameSize: Int
    /// Open calls allowed per connection; a call beyond it ends with `RESOURCE_EXHAUSTED`.
    /// Default 100.
    public var maxConcurrentCallsPerConnection: Int
    /// Open connections allowed; further connections are closed on accept. Default 1,024.
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
    /// Whether handlers run on the connection's event-loop thread (no thread hop per call;
    /// handlers must not block) or on Swift's global concurrent executor. Default `true`.
    public var runHandlersOnEventLoop: Bool
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
        runHandlersOnEventLoop: Bool = true,
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
        self.runHandlersOnEventLoop = runHandlersOnEventLoop
        self.writeBufferHighWaterMark = writeBufferHighWaterMark
        self.maxBufferedOutboundBytes = maxBufferedOutboundBytes
    }

    /// The documented defaults.
    public static var defaults: ServerConfiguration { ServerConfiguration() }
}
