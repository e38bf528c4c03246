/// What a client interceptor sees of a call before it starts.
public struct ClientCallContext: Sendable {
    /// The method being called.
    public let descriptor: MethodDescriptor
    /// The request metadata; an interceptor may add to it (for example a session token).
    public var metadata: Metadata
    /// The call options; an interceptor may change them (for example set a default timeout).
    public var options: CallOptions
}

/// A client-side interceptor: runs around every call made through an ``RPCClient``, in the
/// order given (the first is the outermost).
///
/// It may amend the metadata and options, fail the call before it starts by throwing, or
/// observe the outcome: `next` returns when the call has finished (for streaming calls, when the
/// caller's body has returned) and throws the call's ``RPCError``.
public protocol ClientInterceptor: Sendable {
    /// Calls `next` to run the call, or throws to fail it.
    func intercept<Result>(
        context: ClientCallContext,
        next: (ClientCallContext) async throws -> Result
    ) async throws -> Result
}
