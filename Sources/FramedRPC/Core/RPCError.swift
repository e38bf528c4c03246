/// The error a call ends with: a non-OK status code, a message for people, optional
/// structured details and trailing metadata.
///
/// Handlers throw it to choose the status a client sees; any other error thrown by a handler
/// reaches the client as `UNKNOWN`. Clients receive it from every call that does not end `OK`.
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status code; never `.ok`.
    public var code: StatusCode
    /// A UTF-8 message for people; any Unicode is carried unchanged.
    public var message: String
    /// Structured details, each a type URL and a serialized message (the shape of `google.protobuf.Any`).
    public var details: [Detail]
    /// Metadata sent with the status.
    public var trailingMetadata: Metadata

    /// A structured error detail.
    public struct Detail: Sendable, Hashable {
        /// Names the type of `value`, e.g. `type.googleapis.com/google.rpc.RetryInfo`.
        public var typeURL: String
        /// The serialized message.
        public var value: [UInt8]

        /// Creates a detail from a type URL and serialized bytes.
        public init(typeURL: String, value: [UInt8]) {
            self.typeURL = typeURL
            self.value = value
        }
    }

    /// Creates an error. `code` must not be `.ok`; an `.ok` code is turned into `.unknown`.
    public init(
        code: StatusCode,
        message: String,
        details: [Detail] = [],
        trailingMetadata: Metadata = [:]
    ) {
        self.code = code == .ok ? .unknown : code
        self.message = message
        self.details = details
        self.trailingMetadata = trailingMetadata
    }

    public var description: String { "\(code): \(message)" }
}
