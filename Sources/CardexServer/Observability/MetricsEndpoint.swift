import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus

/// Serves what the server counts, in Prometheus's text format, at `GET /metrics` over plain
/// HTTP/1.1: the scrape endpoint of `cardex serve --metrics`.
///
/// Built on NIOHTTP1 (in swift-nio, which the server already uses) rather than an HTTP framework:
/// one route needs no router, and the framework's build would double the server's. It listens on
/// loopback unless told otherwise: what it tells (call rates, paths, queue depths) is for the
/// operator. Each scrape first runs `collect` (values read from the store, such as the outbox
/// depth) off the event loop, then writes the registry.
final class MetricsEndpoint: Sendable {
    /// The path Prometheus scrapes.
    static let path = "/metrics"
    /// A connection with no request for this long is closed.
    static let idleTimeout = TimeAmount.seconds(60)

    private let channel: any Channel
    /// The bound port (the real one when 0 was asked for).
    let port: Int

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    /// Binds `host:port` and serves until ``close()``.
    static func start(
        host: String, port: Int, registry: PrometheusCollectorRegistry, collect: @escaping @Sendable () async -> Void,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> MetricsEndpoint {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.configureHTTPServerPipeline(withErrorHandling: true)
                    try sync.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                    try sync.addHandler(ScrapeHandler(registry: registry, collect: collect))
                }
            }
            .bind(host: host, port: port)
            .get()
        return MetricsEndpoint(channel: channel, port: channel.localAddress?.port ?? port)
    }

    /// Stops listening. Scrapes in progress finish on their own connections.
    func close() async {
        try? await channel.close()
    }
}

/// Answers one request at a time (NIOHTTP1's pipeline handler holds back the next):
/// `GET`/`HEAD /metrics` with the exposition, any other path 404, any other method 405.
private final class ScrapeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let registry: PrometheusCollectorRegistry
    private let collect: @Sendable () async -> Void
    private var request: HTTPRequestHead?

    init(registry: PrometheusCollectorRegistry, collect: @escaping @Sendable () async -> Void) {
        self.registry = registry
        self.collect = collect
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): request = head
        case .body: break  // a scrape has no body; whatever comes is dropped
        case .end:
            guard let head = request else { return }
            request = nil
            answer(head, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        guard head.method == .GET || head.method == .HEAD else {
            return respond(head, .methodNotAllowed, body: Array("use GET\n".utf8), extraHeaders: [("Allow", "GET, HEAD")], context: context)
        }
        guard path == MetricsEndpoint.path else {
            return respond(head, .notFound, body: Array("metrics are at \(MetricsEndpoint.path)\n".utf8), context: context)
        }
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        let (registry, collect) = (registry, collect)
        Task {
            await collect()
            var body: [UInt8] = []
            registry.emit(into: &body)
            loop.execute {
                let (handler, context) = bound.value
                handler.respond(head, .ok, body: body, contentType: "text/plain; version=0.0.4; charset=utf-8", context: context)
            }
        }
    }

    private func respond(
        _ request: HTTPRequestHead, _ status: HTTPResponseStatus, body: [UInt8], contentType: String = "text/plain; charset=utf-8",
        extraHeaders: [(String, String)] = [], context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", "\(body.count)")] + extraHeaders)
        let keepAlive = request.isKeepAlive
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}
