import NIOCore

/// The benchmark's fixed settings and the defaults of its options.
///
/// Defaults: host `127.0.0.1`, TLS server name `localhost`, 64 calls in flight, 8 seconds,
/// 64-byte payloads, 3 runs per configuration, floor frames up to 4 MiB, 10 s for a server
/// process to report its port.
enum BenchDefaults {
    /// The loopback address servers bind to and clients dial.
    static let host = "127.0.0.1"
    /// The name clients verify the server certificate against (its subjectAltName).
    static let serverHostname = "localhost"
    /// Calls in flight on the one connection (the anchor's CONCURRENCY).
    static let concurrency = 64
    /// How long a client measures, in seconds, after its warm-up call.
    static let seconds = 8.0
    /// Bytes of payload in each request and response.
    static let payload = 64
    /// Client runs per configuration in `run`.
    static let runs = 3
    /// The largest floor frame payload a peer accepts, in bytes (the RPC protocol's frame limit).
    static let maximumFramePayload = 4 * 1024 * 1024
    /// How long `run` waits for a server process to print its `listening on` line.
    static let serverStartupTimeout = TimeAmount.seconds(10)
    /// Latency samples reserved up front per worker, so appends rarely reallocate while measuring.
    static let latencyReservePerWorker = 16_384
    /// Pending connections the floor server's listening socket queues.
    static let listenBacklog: Int32 = 256
}
