import CardexCore
import CardexProto
import FramedRPC

extension CardexError {
    /// The RPC status for this refusal. Resource limits carry a ``Cardex_V1_RetryInfo`` detail
    /// and a `retry-after` trailing metadata entry in seconds.
    var rpcError: RPCError {
        switch self {
        case .invalidArgument(let message): RPCError(code: .invalidArgument, message: message)
        case .unauthenticated(let message): RPCError(code: .unauthenticated, message: message)
        case .permissionDenied(let message): RPCError(code: .permissionDenied, message: message)
        case .notFound(let message): RPCError(code: .notFound, message: message)
        case .alreadyExists(let message): RPCError(code: .alreadyExists, message: message)
        case .failedPrecondition(let message): RPCError(code: .failedPrecondition, message: message)
        case .resourceExhausted(let message, let retryAfter):
            RPCError(
                code: .resourceExhausted,
                message: message,
                details: [
                    RPCError.Detail(
                        typeURL: "type.googleapis.com/cardex.v1.RetryInfo",
                        value: (try? Cardex_V1_RetryInfo.with { $0.retryAfterSeconds = Int64(retryAfter) }.serializedBytes() as [UInt8]) ?? [])
                ],
                trailingMetadata: ["retry-after": .text(String(retryAfter))])
        }
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
