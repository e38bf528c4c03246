import Foundation
import FramedRPC
import FramedRPCInterop
import NIOConcurrencyHelpers

/// A service registered by hand (no generated stubs) whose handlers expose what the runtime
/// does to them: deadlines, cancellation, back-pressure.
struct ProbeService: RPCService {
    static let service = "framedrpc.testing.Probe"
    /// Unary: answers with the handler's remaining deadline in milliseconds, as text ("none" without one).
    static let deadline = MethodDescriptor(service: service, method: "Deadline", kind: .unary)
    /// Unary: waits until cancelled, recording that in ``Log``.
    static let hang = MethodDescriptor(service: service, method: "Hang", kind: .unary)
    /// Client streaming: never reads its requests; waits until cancelled.
    static let stall = MethodDescriptor(service: service, method: "Stall", kind: .clientStreaming)
    /// Server streaming: writes `responseSize` messages of 64 KiB, counting each write in ``Log``.
    static let flood = MethodDescriptor(service: service, method: "Flood", kind: .serverStreaming)
    /// Unary: answers with the `x-user` attribute an interceptor set, as text.
    static let whoAmI = MethodDescriptor(service: service, method: "WhoAmI", kind: .unary)

    /// What the handlers saw; shared with the test.
    final class Log: Sendable {
        private let state = NIOLockedValueBox((hangStarted: 0, hangCancelled: 0, floodWrites: 0))
        var hangStarted: Int { state.withLockedValue { $0.hangStarted } }
        var hangCancelled: Int { state.withLockedValue { $0.hangCancelled } }
        var floodWrites: Int { state.withLockedValue { $0.floodWrites } }
        fileprivate func update(_ body: (inout (hangStarted: Int, hangCancelled: Int, floodWrites: Int)) -> Void) {
            state.withLockedValue(body)
        }
    }

    /// Attribute an interceptor may set for ``whoAmI``.
    enum UserKey: AttributeKey { typealias Value = String }

    let log: Log

    init(log: Log = Log()) {
        self.log = log
    }

    func registerMethods(with router: inout RPCRouter) {
        let log = self.log
        router.registerUnary(Self.deadline) { (_: Framedrpc_Testing_Empty, context) -> Framedrpc_Testing_SimpleResponse in
            let text = context.deadline.map { "\(Int(($0 - .now) / .milliseconds(1)))" } ?? "none"
            return .with { $0.payload.body = Data(text.utf8) }
        }
        router.registerUnary(Self.hang) { (_: Framedrpc_Testing_Empty, _) -> Framedrpc_Testing_Empty in
            log.update { $0.hangStarted += 1 }
            do {
                try await Task.sleep(for: .seconds(60))
            } catch {
                log.update { $0.hangCancelled += 1 }
                throw error
            }
            return Framedrpc_Testing_Empty()
        }
        router.registerClientStreaming(Self.stall) { (_: RequestStream<Framedrpc_Testing_Empty>, _) -> Framedrpc_Testing_Empty in
            try await Task.sleep(for: .seconds(60))
            return Framedrpc_Testing_Empty()
        }
        router.registerServerStreaming(Self.flood) { (request: Framedrpc_Testing_SimpleRequest, writer: RPCWriter<Framedrpc_Testing_SimpleResponse>, _) in
            let chunk = Framedrpc_Testing_SimpleResponse.with { $0.payload.body = Data(count: 64 << 10) }
            for _ in 0..<request.responseSize {
                try await writer.write(chunk)
                log.update { $0.floodWrites += 1 }
            }
        }
        router.registerUnary(Self.whoAmI) { (_: Framedrpc_Testing_Empty, context) -> Framedrpc_Testing_SimpleResponse in
            .with { $0.payload.body = Data((context.attributes[UserKey.self] ?? "nobody").utf8) }
        }
    }
}
