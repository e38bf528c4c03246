import Foundation
import FramedRPC
import SwiftProtobuf
import Synchronization

/// The service the connection target routes to: one method of each kind, all answering from
/// the request alone so that every call can finish without time passing. Messages are
/// `google.protobuf.BytesValue`, so no generated code is needed.
public struct FuzzEchoService: RPCService {
    public static let service = "fuzz.Echo"
    /// Unary: answers with the request. Request metadata `x-echo` (text) comes back as initial
    /// metadata, `x-echo-bin` as trailing metadata.
    public static let echo = MethodDescriptor(service: service, method: "Echo", kind: .unary)
    /// Server streaming: answers with the request as many times as its first byte says (0–255).
    public static let repeated = MethodDescriptor(service: service, method: "Repeat", kind: .serverStreaming)
    /// Client streaming: answers with the number of request bytes, once the client half-closes.
    public static let collect = MethodDescriptor(service: service, method: "Collect", kind: .clientStreaming)
    /// Bidirectional: answers each request with itself.
    public static let chat = MethodDescriptor(service: service, method: "Chat", kind: .bidirectionalStreaming)
    /// Unary: fails with the status code in the request's first byte and trailing metadata.
    public static let fail = MethodDescriptor(service: service, method: "Fail", kind: .unary)

    /// Counts handlers that started and that returned, so the target can check that closing
    /// the connection leaves none suspended.
    public final class Tracker: Sendable {
        private let counts = Mutex((started: 0, finished: 0))

        public init() {}

        /// Handlers started and returned (or thrown) so far.
        public var snapshot: (started: Int, finished: Int) { counts.withLock { $0 } }

        func run<T>(_ body: () async throws -> T) async throws -> T {
            counts.withLock { $0.started += 1 }
            defer { counts.withLock { $0.finished += 1 } }
            return try await body()
        }
    }

    let tracker: Tracker

    public init(tracker: Tracker) {
        self.tracker = tracker
    }

    public func registerMethods(with router: inout RPCRouter) {
        let tracker = self.tracker
        router.registerUnary(Self.echo) { (request: Google_Protobuf_BytesValue, context) -> Google_Protobuf_BytesValue in
            try await tracker.run {
                if let text = context.requestMetadata.firstText("x-echo") {
                    _ = context.setInitialMetadata(["x-echo": .text(text)])
                }
                if let bytes = context.requestMetadata.firstBinary("x-echo-bin") {
                    context.addTrailingMetadata(["x-echo-bin": .binary(bytes)])
                }
                return request
            }
        }
        router.registerServerStreaming(Self.repeated) {
            (request: Google_Protobuf_BytesValue, writer: RPCWriter<Google_Protobuf_BytesValue>, _) in
            try await tracker.run {
                for _ in 0..<Int(request.value.first ?? 0) {
                    try await writer.write(request)
                }
            }
        }
        router.registerClientStreaming(Self.collect) {
            (requests: RequestStream<Google_Protobuf_BytesValue>, _) -> Google_Protobuf_UInt64Value in
            try await tracker.run {
                var total: UInt64 = 0
                for try await request in requests {
                    total += UInt64(request.value.count)
                }
                return .with { $0.value = total }
            }
        }
        router.registerBidirectionalStreaming(Self.chat) {
            (requests: RequestStream<Google_Protobuf_BytesValue>, writer: RPCWriter<Google_Protobuf_BytesValue>, _) in
            try await tracker.run {
                for try await request in requests {
                    try await writer.write(request)
                }
            }
        }
        router.registerUnary(Self.fail) { (request: Google_Protobuf_BytesValue, _) -> Google_Protobuf_Empty in
            try await tracker.run {
                throw RPCError(
                    code: StatusCode(wireValue: UInt32(request.value.first ?? 2)),
                    message: "failed as asked",
                    trailingMetadata: ["x-failed-bin": .binary(Array(request.value))]
                )
            }
        }
    }
}
