import SwiftProtobufPluginLibrary

/// One RPC as the generator sees it: its names on the wire and in Swift, its message types and
/// its streaming kind.
struct RPCMethod {
    /// How many messages flow each way; the raw value is the `MethodDescriptor.Kind` case.
    enum Kind: String {
        case unary
        case clientStreaming
        case serverStreaming
        case bidirectionalStreaming

        init(clientStreaming: Bool, serverStreaming: Bool) {
            switch (clientStreaming, serverStreaming) {
            case (false, false): self = .unary
            case (true, false): self = .clientStreaming
            case (false, true): self = .serverStreaming
            case (true, true): self = .bidirectionalStreaming
            }
        }

        /// The `RPCRouter` method that registers a handler of this kind.
        var registerFunction: String {
            switch self {
            case .unary: "registerUnary"
            case .clientStreaming: "registerClientStreaming"
            case .serverStreaming: "registerServerStreaming"
            case .bidirectionalStreaming: "registerBidirectionalStreaming"
            }
        }

        /// A phrase for generated doc comments.
        var summary: String {
            switch self {
            case .unary: "one request, one response"
            case .clientStreaming: "a stream of requests, one response"
            case .serverStreaming: "one request, a stream of responses"
            case .bidirectionalStreaming: "streams in both directions"
            }
        }
    }

    /// The name as written in the `.proto` and sent on the wire, e.g. `EmptyCall`.
    let protoName: String
    /// The namespace enum inside `Method`, e.g. `EmptyCall`.
    let typeName: String
    /// The Swift function name, e.g. `emptyCall` (backticked if it is a keyword).
    let functionName: String
    /// The Swift type of the request message.
    let inputType: String
    /// The Swift type of the response message.
    let outputType: String
    /// The streaming kind.
    let kind: Kind
    /// The leading comment from the `.proto` as `///` lines ending in newlines; empty if none.
    let documentation: String

    init(_ method: MethodDescriptor, namer: SwiftProtobufNamer) {
        protoName = method.name
        typeName = SwiftNaming.typeName(forRPC: method.name)
        functionName = SwiftNaming.functionName(forRPC: method.name)
        inputType = namer.fullName(message: method.inputType)
        outputType = namer.fullName(message: method.outputType)
        kind = Kind(clientStreaming: method.clientStreaming, serverStreaming: method.serverStreaming)
        documentation = method.protoSourceComments()
    }

    /// The proto comment if there is one, else `fallback` as a single `///` line.
    func documentation(orElse fallback: String) -> String {
        documentation.isEmpty ? "/// \(fallback)\n" : documentation
    }
}
