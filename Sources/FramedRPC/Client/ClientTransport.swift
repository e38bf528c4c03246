/// The start of a call, as a client transport sends it.
struct CallHead: Sendable {
    /// `/service/method`.
    var path: String
    var metadata: Metadata
    var timeout: Duration?
}

/// What ``RPCClient`` needs from a transport: a way to open calls, and to close.
protocol ClientTransport: Sendable {
    /// Opens a call: sends HEADERS, then `firstMessage` if given, then HALF_CLOSE if
    /// `halfClose`, as one write, and ends the call with `DEADLINE_EXCEEDED` when
    /// `head.timeout` passes. Throws `UNAVAILABLE` when no connection can be had.
    func open(_ head: CallHead, firstMessage: [UInt8]?, halfClose: Bool) async throws -> ClientCall

    /// Makes a unary call: sends HEADERS, `request` and HALF_CLOSE, and returns the one
    /// response. Throws the call's ``RPCError`` (`CANCELLED` when the calling task is cancelled,
    /// `DEADLINE_EXCEEDED`, `INTERNAL` when the server sent no response or more than one).
    nonisolated(nonsending) func unary(_ head: CallHead, request: [UInt8]) async throws -> UnaryResponse

    /// An executor on the thread that runs the connection (connecting first if needed), or
    /// `nil` when the transport has no such thread.
    func connectionExecutor() async throws -> (any TaskExecutor)?

    /// Closes connections; open calls end with `UNAVAILABLE` (or finish, for a graceful close).
    func close() async
}

extension ClientTransport {
    /// ``unary(_:request:)`` through ``open(_:firstMessage:halfClose:)``.
    nonisolated(nonsending) func unary(_ head: CallHead, request: [UInt8]) async throws -> UnaryResponse {
        try await open(head, firstMessage: request, halfClose: true).run { call in try await call.onlyResponse() }
    }
}
