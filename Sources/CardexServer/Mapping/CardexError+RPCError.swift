import CardexCore
import CardexProto
import FramedRPC
import SwiftProtobuf

extension CardexError {
    /// The RPC status for this refusal. Resource limits that free up with time carry a
    /// ``Cardex_V1_RetryInfo`` detail and a `retry-after` trailing metadata entry in seconds.
    var rpcError: RPCError {
        switch self {
        case .invalidArgument(let message): RPCError(code: .invalidArgument, message: message)
        case .unauthenticated(let message): RPCError(code: .unauthenticated, message: message)
        case .permissionDenied(let message): RPCError(code: .permissionDenied, message: message)
        case .notFound(let message): RPCError(code: .notFound, message: message)
        case .alreadyExists(let message): RPCError(code: .alreadyExists, message: message)
        case .failedPrecondition(let message): RPCError(code: .failedPrecondition, message: message)
        case .resourceExhausted(let message, let retryAfter) where retryAfter <= 0:
            // A limit that frees up by the caller's own action, not by waiting.
            RPCError(code: .resourceExhausted, message: message)
        case .resourceExhausted(let message, let retryAfter):
            RPCError(
                code: .resourceExhausted,
                message: message,
                details: [RPCError.Detail(Cardex_V1_RetryInfo.with { $0.retryAfterSeconds = Int64(retryAfter) })],
                trailingMetadata: ["retry-after": .text(String(retryAfter))])
        }
    }
}

extension RPCError.Detail {
    /// A detail carrying `message`, typed `type.googleapis.com/<full message name>`.
    init(_ message: some SwiftProtobuf.Message) {
        self.init(
            typeURL: "type.googleapis.com/\(type(of: message).protoMessageName)",
            value: (try? message.serializedBytes() as [UInt8]) ?? [])
    }
}

/// Turns the ``CardexError``s handlers throw into RPC statuses. Runs innermost, so other
/// interceptors see the status.
struct CardexErrorInterceptor: ServerInterceptor {
    func intercept(context: ServerContext, next: (ServerContext) async throws -> Void) async throws {
        do {
            try await next(context)
        } catch let error as CardexError {
            throw error.rpcError
        }
    }
}
