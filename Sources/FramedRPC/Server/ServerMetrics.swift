import CoreMetrics
import NIOCore
import Synchronization

/// What a server counts, through swift-metrics, when it is given a `MetricsFactory`
/// (``RPCServer/init(services:interceptors:configuration:metricsFactory:logger:eventLoopGroup:)``).
///
/// Every handle is made once: per registered method when the server is made, per status code
/// the first time a method ends with it. A call only increments. Calls to paths the server does
/// not serve all count under the method `other`, so a client cannot make the server hold a
/// series per path it invents.
final class ServerMetrics: Sendable {
    /// The metric names, in Prometheus's conventions (`_total` counters, seconds).
    enum Name {
        static let callsStarted = "framedrpc_server_calls_started_total"
        static let callsFinished = "framedrpc_server_calls_finished_total"
        static let callDuration = "framedrpc_server_call_duration_seconds"
        static let activeCalls = "framedrpc_server_calls_active"
        static let connections = "framedrpc_server_connections"
        static let bytesReceived = "framedrpc_server_received_bytes_total"
        static let bytesSent = "framedrpc_server_sent_bytes_total"
        static let goAways = "framedrpc_server_goaways_sent_total"
        static let connectionErrors = "framedrpc_server_connection_errors_total"
    }

    /// The method label of calls to paths the server does not serve.
    static let otherMethod = "other"

    /// One method's handles.
    final class Method: Sendable {
        private let path: String
        private let factory: any MetricsFactory
        fileprivate let started: Counter
        fileprivate let duration: Timer
        /// Calls ended OK, made with the method: most calls end so, and take no lock.
        private let finishedOK: Counter
        /// By status code, made the first time the method ends with it.
        private let finished = Mutex<[StatusCode: Counter]>([:])

        init(path: String, factory: any MetricsFactory) {
            self.path = path
            self.factory = factory
            started = Counter(label: Name.callsStarted, dimensions: [("method", path)], factory: factory)
            duration = Timer(label: Name.callDuration, dimensions: [("method", path)], factory: factory)
            finishedOK = Counter(label: Name.callsFinished, dimensions: [("method", path), ("code", StatusCode.ok.description)], factory: factory)
        }

        fileprivate func finished(_ code: StatusCode) -> Counter {
            if code == .ok { return finishedOK }
            return finished.withLock { counters in
                if let counter = counters[code] { return counter }
                let counter = Counter(
                    label: Name.callsFinished, dimensions: [("method", path), ("code", code.description)], factory: factory)
                counters[code] = counter
                return counter
            }
        }
    }

    /// One call's part: started when made, finished once.
    struct Call: Sendable {
        let method: Method
        let metrics: ServerMetrics
        let startedAt: NIODeadline

        /// Counts the call's end with `code` and how long it took.
        func finished(_ code: StatusCode) {
            method.finished(code).increment()
            method.duration.recordNanoseconds((NIODeadline.now() - startedAt).nanoseconds)
            metrics.activeCalls.decrement()
        }
    }

    private let methods: [String: Method]
    private let other: Method
    let activeCalls: Meter
    let connections: Meter
    let bytesReceived: Counter
    let bytesSent: Counter
    private let goAways: [Framedrpc_V1_GoAwayCode: Counter]
    private let connectionErrors: [String: Counter]

    /// Makes every handle of a server serving `paths`.
    init(paths: [String], factory: any MetricsFactory) {
        methods = Dictionary(uniqueKeysWithValues: paths.map { ($0, Method(path: $0, factory: factory)) })
        other = Method(path: Self.otherMethod, factory: factory)
        activeCalls = Meter(label: Name.activeCalls, factory: factory)
        connections = Meter(label: Name.connections, factory: factory)
        bytesReceived = Counter(label: Name.bytesReceived, factory: factory)
        bytesSent = Counter(label: Name.bytesSent, factory: factory)
        let codes = Framedrpc_V1_GoAwayCode.allCases.filter { $0.metricName != nil }
        goAways = Dictionary(
            uniqueKeysWithValues: codes.map { code in
                (code, Counter(label: Name.goAways, dimensions: [("code", code.metricName!)], factory: factory))
            })
        let errorCodes = codes.filter { $0 != .noError && $0 != .idleTimeout }.map { $0.metricName! } + ConnectionFailure.allNames
        connectionErrors = Dictionary(
            uniqueKeysWithValues: errorCodes.map { code in
                (code, Counter(label: Name.connectionErrors, dimensions: [("code", code)], factory: factory))
            })
    }

    /// The handles of the method at `path`, or of `other`.
    func method(_ path: String) -> Method {
        methods[path] ?? other
    }

    /// Counts a call to `method` starting now.
    func callStarted(_ method: Method) -> Call {
        method.started.increment()
        activeCalls.increment()
        return Call(method: method, metrics: self, startedAt: .now())
    }

    /// Counts a call refused before its headers were read (the server draining, a call limit,
    /// bad headers), under the method `other`.
    func callRefused(_ code: StatusCode) {
        other.started.increment()
        other.finished(code).increment()
    }

    /// Counts a GOAWAY sent.
    func goAwaySent(_ code: Framedrpc_V1_GoAwayCode) {
        goAways[code]?.increment()
    }

    /// Counts a connection closed for a broken rule (the GOAWAY code) or a failure below it.
    func connectionFailed(_ code: Framedrpc_V1_GoAwayCode) {
        code.metricName.flatMap { connectionErrors[$0] }?.increment()
    }

    /// Counts a connection closed for a failure with no GOAWAY.
    func connectionFailed(_ failure: ConnectionFailure) {
        connectionErrors[failure.rawValue]?.increment()
    }

    /// Connection failures that send no GOAWAY.
    enum ConnectionFailure: String, CaseIterable {
        /// The peer did not start with the protocol's magic (not a FramedRPC client).
        case badMagic = "BAD_MAGIC"
        /// TLS or the socket failed: a handshake refused, a reset.
        case transport = "TRANSPORT"

        static var allNames: [String] { allCases.map(\.rawValue) }
    }
}

extension Framedrpc_V1_GoAwayCode {
    /// The code's name in `wire.proto`, as metrics label it; nil for a value not in it.
    var metricName: String? {
        switch self {
        case .noError: "NO_ERROR"
        case .protocolError: "PROTOCOL_ERROR"
        case .frameTooLarge: "FRAME_TOO_LARGE"
        case .unsupportedVersion: "UNSUPPORTED_VERSION"
        case .flowControlError: "FLOW_CONTROL_ERROR"
        case .idleTimeout: "IDLE_TIMEOUT"
        case .keepaliveTimeout: "KEEPALIVE_TIMEOUT"
        case .internalError: "INTERNAL_ERROR"
        case .UNRECOGNIZED: nil
        }
    }
}
