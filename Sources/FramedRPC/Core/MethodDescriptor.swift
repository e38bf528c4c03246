/// Names one method of one service, and says how many messages flow each way.
public struct MethodDescriptor: Sendable, Hashable, CustomStringConvertible {
    /// How many messages a call carries in each direction.
    public enum Kind: Sendable, Hashable {
        /// One request, one response.
        case unary
        /// A stream of requests, one response.
        case clientStreaming
        /// One request, a stream of responses.
        case serverStreaming
        /// Streams in both directions.
        case bidirectionalStreaming
    }

    /// The fully qualified service name, e.g. `framedrpc.testing.TestService`.
    public let service: String
    /// The method name as written in the `.proto`, e.g. `UnaryCall`.
    public let method: String
    /// The streaming kind.
    public let kind: Kind
    /// The path carried in `CallHeaders.method`: `/service/method`.
    public let path: String

    /// Creates a descriptor.
    public init(service: String, method: String, kind: Kind) {
        self.service = service
        self.method = method
        self.kind = kind
        self.path = "/\(service)/\(method)"
    }

    public var description: String { path }
}
