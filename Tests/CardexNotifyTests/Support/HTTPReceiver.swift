import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A tiny HTTP/1.1 server on 127.0.0.1 (an ephemeral port) standing in for an SMS gateway's
/// webhook: it records every request and answers with the next status of a programmed
/// sequence, repeating the last one when the sequence runs out.
final class HTTPReceiver: Sendable {
    /// One recorded request.
    struct Request: Sendable {
        var method: HTTPMethod
        var uri: String
        var headers: HTTPHeaders
        var body: Data

        /// The body parsed as a JSON object, or `nil`.
        var jsonObject: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        }
    }

    private let recorder: Recorder
    private let channel: any Channel

    /// Where to POST: `http://127.0.0.1:<port>/hook`.
    let url: URL

    /// Starts a receiver answering with `statuses` in turn (the last one repeats).
    init(statuses: [Int] = [200]) async throws {
        precondition(!statuses.isEmpty, "HTTPReceiver needs at least one status")
        let recorder = Recorder(statuses: statuses)
        self.recorder = recorder
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RecordingHandler(recorder: recorder))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        url = URL(string: "http://127.0.0.1:\(channel.localAddress!.port!)/hook")!
    }

    /// Requests received so far, in order.
    var requests: [Request] { recorder.requests }

    /// Stops listening for new connections.
    func stop() async throws {
        try await channel.close()
    }
}

/// The requests and the statuses still to answer with, shared by every connection.
private final class Recorder: Sendable {
    private struct State {
        var statuses: [Int]
        var requests: [HTTPReceiver.Request] = []
    }

    private let state: Mutex<State>

    init(statuses: [Int]) {
        state = Mutex(State(statuses: statuses))
    }

    var requests: [HTTPReceiver.Request] { state.withLock { $0.requests } }

    /// Records `request` and returns the status to answer with.
    func record(_ request: HTTPReceiver.Request) -> Int {
        state.withLock { state in
            state.requests.append(request)
            return state.statuses.count > 1 ? state.statuses.removeFirst() : state.statuses[0]
        }
    }
}

/// Collects one request at a time and answers it with an empty body.
private final class RecordingHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let recorder: Recorder
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(recorder: Recorder) { self.recorder = recorder }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            let status = recorder.record(
                HTTPReceiver.Request(
                    method: head.method, uri: head.uri, headers: head.headers,
                    body: Data(body.readableBytesView)))
            let responseHead = HTTPResponseHead(
                version: head.version, status: HTTPResponseStatus(statusCode: status),
                headers: ["Content-Length": "0"])
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
