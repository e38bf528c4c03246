import CardexCore
import CardexProto
import FramedRPC
import Logging
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

/// Turns what handlers throw into RPC statuses: a ``CardexError`` (a rule refusing the call) into
/// its status; a ``StoreFailure`` into UNAVAILABLE (the database cannot be reached, or a statement
/// ran out of time), ABORTED (a transaction kept conflicting) or INTERNAL, logged with the
/// store's reason; any other error (a bug) into INTERNAL, logged. The caller is told only that
/// the server failed, never the reason, which may name tables or carry a driver's text. Runs
/// innermost, so other interceptors see the status.
struct CardexErrorInterceptor: ServerInterceptor {
    let logger: Logger

    func intercept(context: ServerContext, next: (ServerContext) async throws -> Void) async throws {
        do {
            try await next(context)
        } catch let error as CardexError {
            throw error.rpcError
        } catch let error as RPCError {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch let failure as StoreFailure {
            let status = failure.rpcError
            logger.log(
                level: failure.kind == .failed ? .error : .warning, "the store failed",
                metadata: ["method": "\(context.descriptor)", "status": "\(status.code)", "reason": "\(failure)"])
            throw status
        } catch {
            logger.error("a handler failed", metadata: ["method": "\(context.descriptor)", "error": "\(String(reflecting: error))"])
            throw StoreFailure.internalError
        }
    }
}

extension StoreFailure {
    /// The status a caller gets: what it may do about it, not what failed.
    var rpcError: RPCError {
        switch kind {
        case .unavailable, .timeout: RPCError(code: .unavailable, message: "the server's database is unavailable; try again later")
        case .conflict: RPCError(code: .aborted, message: "the change conflicted with others at the same time; try again")
        case .failed: Self.internalError
        }
    }

    /// What a caller is told of a failure inside the server.
    static let internalError = RPCError(code: .internal, message: "the server failed to answer; the failure is logged")
}
