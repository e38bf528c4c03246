/// A service a server can host. Generated `ServiceProtocol`s conform to it and implement
/// ``registerMethods(with:)`` for you; implement the per-method requirements instead.
public protocol RPCService: Sendable {
    /// Adds a handler for each of the service's methods to `router`.
    func registerMethods(with router: inout RPCRouter)
}

/// A server-side interceptor: runs around every handler, in the order interceptors are given
/// to the server (the first given is the outermost).
///
/// It may reject a call by throwing an ``RPCError`` (the handler then never runs), pass an
/// amended context on (for example with an authenticated identity in
/// ``ServerContext/attributes``), or observe the outcome (logging, metrics). Interceptors run on
/// the call's task and must not block.
public protocol ServerInterceptor: Sendable {
    /// Calls `next` to continue the call, or throws to end it with that error.
    func intercept(
        context: ServerContext,
        next: (ServerContext) async throws -> Void
    ) async throws
}
