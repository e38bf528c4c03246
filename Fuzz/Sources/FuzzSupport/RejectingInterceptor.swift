import FramedRPC

/// Rejects calls carrying request metadata `x-reject` before their handler runs, as an
/// authenticating interceptor would.
public struct RejectingInterceptor: ServerInterceptor {
    public init() {}

    public func intercept(context: ServerContext, next: (ServerContext) async throws -> Void) async throws {
        if !context.requestMetadata["x-reject"].isEmpty {
            throw RPCError(code: .permissionDenied, message: "rejected as asked")
        }
        try await next(context)
    }
}
