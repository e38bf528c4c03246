/// Sends messages of one type on a call: a handler's responses, or a client's requests.
///
/// `write` suspends while the peer's flow-control window is used up, so a slow reader slows the
/// writer instead of making anyone buffer without limit. It throws an ``RPCError`` once the call
/// has ended (cancelled, deadline passed, or the peer finished it).
public struct RPCWriter<Message: Sendable>: Sendable {
    private let send: @Sendable (Message) async throws -> Void

    /// Creates a writer from a closure that sends one message.
    public init(_ send: @escaping @Sendable (Message) async throws -> Void) {
        self.send = send
    }

    /// Sends one message.
    public func write(_ message: Message) async throws {
        try await send(message)
    }

    /// Sends each message in order.
    public func write(contentsOf messages: some Sequence<Message>) async throws {
        for message in messages {
            try await send(message)
        }
    }
}

/// A client's request writer on a client- or bidirectional-streaming call: an ``RPCWriter``
/// that can also half-close.
public struct RequestWriter<Message: Sendable>: Sendable {
    private let writer: RPCWriter<Message>
    private let close: @Sendable () async -> Void

    init(writer: RPCWriter<Message>, close: @escaping @Sendable () async -> Void) {
        self.writer = writer
        self.close = close
    }

    /// Sends one request message. Throws once the call has ended or after ``finish()``.
    public func write(_ message: Message) async throws {
        try await writer.write(message)
    }

    /// Sends each message in order.
    public func write(contentsOf messages: some Sequence<Message>) async throws {
        try await writer.write(contentsOf: messages)
    }

    /// Half-closes the call: tells the server no more requests follow. Idempotent.
    public func finish() async {
        await close()
    }
}
