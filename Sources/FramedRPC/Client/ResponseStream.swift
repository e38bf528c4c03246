import SwiftProtobuf

/// The responses of a server- or bidirectional-streaming call, as the client reads them.
///
/// Iteration ends normally when the call ends `OK`, and throws the call's ``RPCError``
/// otherwise (including `CANCELLED` and `DEADLINE_EXCEEDED`). Iterate it at most once, from one
/// task; reading returns flow-control credit to the server.
public struct ResponseStream<Message: SwiftProtobuf.Message>: AsyncSequence, Sendable {
    public typealias Element = Message
    public typealias Failure = any Error

    let call: ClientCall

    init(call: ClientCall) {
        self.call = call
    }

    /// The response's initial metadata; waits until the server sends it (or the call ends).
    public var initialMetadata: Metadata {
        get async throws { try await call.initialMetadata() }
    }

    /// The metadata sent with the final status, or `nil` while the call is still open.
    public var trailingMetadata: Metadata? {
        call.finalStatus?.trailingMetadata
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(call: call)
    }

    /// Yields decoded responses in order.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let call: ClientCall

        public mutating func next() async throws -> Message? {
            guard let bytes = try await call.nextResponse() else { return nil }
            return try Message(decodingResponse: bytes)
        }
    }
}

extension SwiftProtobuf.Message {
    /// Decodes a response message, mapping failure to `INTERNAL` (the server sent bad data).
    init(decodingResponse bytes: [UInt8]) throws(RPCError) {
        do {
            try self.init(serializedBytes: bytes)
        } catch {
            throw RPCError(
                code: .internal,
                message: "response is not a valid \(Self.protoMessageName) message: \(error)"
            )
        }
    }
}
