import SwiftProtobuf

/// The requests of a client- or bidirectional-streaming call, as a handler reads them.
///
/// Iteration ends when the client half-closes. It throws ``RPCError`` with `INVALID_ARGUMENT`
/// when a message does not decode, and `CANCELLED` when the call is cancelled. Iterate it at most
/// once, from one task.
public struct RequestStream<Message: SwiftProtobuf.Message>: AsyncSequence, Sendable {
    public typealias Element = Message
    public typealias Failure = any Error

    private let inbox: MessageInbox

    init(_ inbox: MessageInbox) {
        self.inbox = inbox
    }

    /// Returns the iterator; consuming messages returns flow-control credit to the client.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(inbox: inbox)
    }

    /// Yields decoded messages in the order the client sent them.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let inbox: MessageInbox

        public mutating func next() async throws -> Message? {
            guard let bytes = try await inbox.next() else { return nil }
            return try Message(decodingRequest: bytes)
        }
    }
}

extension SwiftProtobuf.Message {
    /// Decodes a request message, mapping failure to `INVALID_ARGUMENT`.
    init(decodingRequest bytes: [UInt8]) throws(RPCError) {
        do {
            try self.init(serializedBytes: bytes)
        } catch {
            throw RPCError(
                code: .invalidArgument,
                message: "request is not a valid \(Self.protoMessageName) message: \(error)"
            )
        }
    }
}
