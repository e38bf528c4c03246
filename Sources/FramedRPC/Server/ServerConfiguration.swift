/// Every limit and timeout of an ``RPCServer``, in groups as grpc-swift nests its transport's:
/// start from ``defaults`` and change what differs.
///
/// ```swift
/// var configuration = ServerConfiguration.defaults
/// configuration.keepalive.interval = .seconds(30)
/// ```
///
/// Each value is written once, in the group's `defaults`, whose documentation says why.
public struct ServerConfiguration: Sendable {
    /// What one frame and one call's metadata may hold.
    public var frames: Frames
    /// What one connection may do, and how long it may take.
    public var connection: Connection
    /// When the server checks that a silent peer is still there.
    public var keepalive: Keepalive
    /// Which connections the server takes, in all and per client address.
    public var admission: Admission
    /// How much the server lets wait for a peer that reads slowly.
    public var backpressure: Backpressure
    /// How long a graceful shutdown waits for open calls before ending them with `UNAVAILABLE`.
    public var drainGracePeriod: Duration
    /// Whether handlers run on the connection's event-loop thread (no thread hop per call;
    /// handlers must not block) or on Swift's global concurrent executor.
    public var runHandlersOnEventLoop: Bool

    /// Creates a configuration from its groups.
    public init(
        frames: Frames, connection: Connection, keepalive: Keepalive, admission: Admission, backpressure: Backpressure,
        drainGracePeriod: Duration, runHandlersOnEventLoop: Bool
    ) {
        self.frames = frames
        self.connection = connection
        self.keepalive = keepalive
        self.admission = admission
        self.backpressure = backpressure
        self.drainGracePeriod = drainGracePeriod
        self.runHandlersOnEventLoop = runHandlersOnEventLoop
    }

    /// Each group's defaults; a graceful shutdown waits 30 s for open calls; handlers run on
    /// their connection's event loop.
    public static var defaults: ServerConfiguration {
        ServerConfiguration(
            frames: .defaults, connection: .defaults, keepalive: .defaults, admission: .defaults, backpressure: .defaults,
            drainGracePeriod: .seconds(30), runHandlersOnEventLoop: true)
    }

    /// What one frame and one call's metadata may hold.
    public struct Frames: Sendable, Hashable {
        /// Largest frame payload accepted, in bytes; larger headers end the connection
        /// (GOAWAY `FRAME_TOO_LARGE`) before the payload is read.
        public var maxFrameSize: Int
        /// Largest metadata a call's HEADERS may carry, in bytes counted as HTTP/2 and gRPC count
        /// a header list: each entry's key and value plus 32. A call over it ends with
        /// `RESOURCE_EXHAUSTED`; a HEADERS payload over it plus 1 KiB is refused so without
        /// being decoded.
        public var maxMetadataSize: Int

        /// Creates limits.
        public init(maxFrameSize: Int, maxMetadataSize: Int) {
            self.maxFrameSize = maxFrameSize
            self.maxMetadataSize = maxMetadataSize
        }

        /// Frames up to 4 MiB; metadata up to 8 KiB (gRPC's default: at most 256 entries fit).
        public static var defaults: Frames { Frames(maxFrameSize: 4 << 20, maxMetadataSize: 8 << 10) }
    }

    /// What one connection may do, and how long it may take.
    public struct Connection: Sendable, Hashable {
        /// Open calls allowed per connection; a call beyond it ends with `RESOURCE_EXHAUSTED`.
        public var maxConcurrentCalls: Int
        /// Time allowed from accept to a complete TLS handshake and preface.
        public var handshakeTimeout: Duration
        /// A connection with no open call for this long is closed (GOAWAY `IDLE_TIMEOUT`).
        public var idleTimeout: Duration
        /// How long a closing TLS connection waits for the client's close_notify before it
        /// closes the socket anyway. It bounds every close, so a client that stops reading holds
        /// a closed connection (and a graceful shutdown) this long at most.
        public var tlsCloseTimeout: Duration

        /// Creates limits.
        public init(maxConcurrentCalls: Int, handshakeTimeout: Duration, idleTimeout: Duration, tlsCloseTimeout: Duration) {
            self.maxConcurrentCalls = maxConcurrentCalls
            self.handshakeTimeout = handshakeTimeout
            self.idleTimeout = idleTimeout
            self.tlsCloseTimeout = tlsCloseTimeout
        }

        /// 100 open calls; 10 s for the TLS handshake and preface; closed after 300 s without a
        /// call; 1 s for the client's close_notify.
        public static var defaults: Connection {
            Connection(maxConcurrentCalls: 100, handshakeTimeout: .seconds(10), idleTimeout: .seconds(300), tlsCloseTimeout: .seconds(1))
        }
    }

    /// When the server checks that a silent peer is still there.
    public struct Keepalive: Sendable, Hashable {
        /// After this long without receiving anything the server sends a PING.
        public var interval: Duration
        /// If nothing arrives this long after a keepalive PING, the connection is closed
        /// (GOAWAY `KEEPALIVE_TIMEOUT`).
        public var timeout: Duration

        /// Creates a keepalive.
        public init(interval: Duration, timeout: Duration) {
            self.interval = interval
            self.timeout = timeout
        }

        /// A PING after 60 s of silence, answered within 20 s.
        public static var defaults: Keepalive { Keepalive(interval: .seconds(60), timeout: .seconds(20)) }
    }

    /// Which connections the server takes. When a limit is reached, a new connection closes the
    /// oldest one still in its TLS handshake and preface within the limit's scope (the server,
    /// or the client's address), or is closed on accept if there is none, so unfinished
    /// handshakes never keep a client out. An address is an IPv4 address or an IPv6 /64.
    public struct Admission: Sendable, Hashable {
        /// Open connections allowed.
        public var maxConnections: Int
        /// Open connections allowed from one client address.
        public var maxConnectionsPerAddress: Int
        /// Connections from one client address that may be in their TLS handshake and preface
        /// at once.
        public var maxPendingHandshakesPerAddress: Int

        /// Creates limits.
        public init(maxConnections: Int, maxConnectionsPerAddress: Int, maxPendingHandshakesPerAddress: Int) {
            self.maxConnections = maxConnections
            self.maxConnectionsPerAddress = maxConnectionsPerAddress
            self.maxPendingHandshakesPerAddress = maxPendingHandshakesPerAddress
        }

        /// 1,024 connections; 256 per address: an office or campus behind one NAT address, each
        /// device with a connection, fits, and four addresses are needed to take them all (raise
        /// both together for clients behind carrier-grade NAT); 32 handshakes per address: a
        /// handshake takes a few round trips, so even a NAT'd office reconnecting at once rarely
        /// has 32 in flight, while one address cannot hold more of the slots that others'
        /// handshakes compete for.
        public static var defaults: Admission {
            Admission(maxConnections: 1024, maxConnectionsPerAddress: 256, maxPendingHandshakesPerAddress: 32)
        }
    }

    /// How much the server lets wait for a peer that reads slowly.
    public struct Backpressure: Sendable, Hashable {
        /// While more than this many bytes wait to be sent on a connection, the server reads
        /// nothing more from that peer (so it cannot provoke more writes: PONGs, WINDOW_UPDATEs);
        /// reading resumes once less than half of it waits.
        public var writeBufferHighWaterMark: Int
        /// A connection with more than this many bytes waiting to be sent (responses its calls
        /// keep writing to a peer that does not read) is closed, its calls cancelled; values
        /// below ``writeBufferHighWaterMark`` act as that mark.
        public var maxBufferedOutboundBytes: Int

        /// Creates limits.
        public init(writeBufferHighWaterMark: Int, maxBufferedOutboundBytes: Int) {
            self.writeBufferHighWaterMark = writeBufferHighWaterMark
            self.maxBufferedOutboundBytes = maxBufferedOutboundBytes
        }

        /// Reading paused while more than 64 KiB wait; closed past 8 MiB (a few calls' 1 MiB
        /// windows).
        public static var defaults: Backpressure { Backpressure(writeBufferHighWaterMark: 64 << 10, maxBufferedOutboundBytes: 8 << 20) }
    }
}
