/// The outcome of a successful unary or client-streaming call: the response message and the
/// metadata that came with it.
public struct ClientResponse<Message: Sendable>: Sendable {
    /// The response message.
    public var message: Message
    /// The response's initial metadata (empty when the server sent none).
    public var initialMetadata: Metadata
    /// The metadata sent with the `OK` status.
    public var trailingMetadata: Metadata

    /// Creates a response.
    public init(message: Message, initialMetadata: Metadata, trailingMetadata: Metadata) {
        self.message = message
        self.initialMetadata = initialMetadata
        self.trailingMetadata = trailingMetadata
    }
}
