import Logging
import SwiftProtobuf

/// Maps method paths to handlers. Services fill it through ``RPCService/registerMethods(with:)``;
/// generated code calls the `register…` methods, one per RPC kind.
///
/// Registering a path twice keeps the last handler.
public struct RPCRouter: Sendable {
    /// A registered handler, working on raw call streams.
    struct Method: Sendable {
        let descriptor: MethodDescriptor
        let run: nonisolated(nonsending) @Sendable (ServerCall, ServerContext) async throws -> Void
    }

    private(set) var methods: [String: Method] = [:]
    private(set) var services: Set<String> = []
    /// How calls are traced; nil: they are not. The server sets it.
    var tracing: ServerTracing?
    /// Where a handler's error that carries no status is logged; the server sets it.
    var logger = Logger(label: "framedrpc", factory: { _ in SwiftLogNoOpLogHandler() })
    /// The files that define each registered service, by service name, for reflection.
    public private(set) var protoFiles: [String: ServiceProtoFiles] = [:]

    /// Creates an empty router.
    public init() {}

    /// Creates a router holding every method of `services`.
    public init(services: [any RPCService]) {
        for service in services {
            service.registerMethods(with: &self)
        }
    }

    /// The paths of every registered method, sorted.
    public var registeredPaths: [String] { methods.keys.sorted() }

    /// The full names of the services registered (such as `pkg.Service`), sorted.
    public var serviceNames: [String] { services.sorted() }

    /// Records the files that define a service, so that reflection can serve them. Generated
    /// registrations call it; a hand-written service may leave it out, and is then listed by
    /// reflection without files.
    public mutating func addProtoFiles(_ files: ServiceProtoFiles) {
        protoFiles[files.service] = files
    }

    /// Registers a one-request, one-response handler.
    public mutating func registerUnary<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ descriptor: MethodDescriptor,
        handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        register(descriptor) { call, context in
            let request: Request = try await call.singleRequest()
            let response = try await handler(request, context)
            try await call.send(response)
        }
    }

    /// Registers a handler that reads a stream of requests and returns one response.
    public mutating func registerClientStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ descriptor: MethodDescriptor,
        handler: @escaping @Sendable (RequestStream<Request>, ServerContext) async throws -> Response
    ) {
        register(descriptor) { call, context in
            let response = try await handler(RequestStream<Request>(call.requests), context)
            try await call.send(response)
        }
    }

    /// Registers a handler that reads one request and writes a stream of responses.
    public mutating func registerServerStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ descriptor: MethodDescriptor,
        handler: @escaping @Sendable (Request, RPCWriter<Response>, ServerContext) async throws -> Void
    ) {
        register(descriptor) { call, context in
            let request: Request = try await call.singleRequest()
            try await handler(request, RPCWriter { try await call.send($0) }, context)
        }
    }

    /// Registers a handler with request and response streams.
    public mutating func registerBidirectionalStreaming<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ descriptor: MethodDescriptor,
        handler: @escaping @Sendable (RequestStream<Request>, RPCWriter<Response>, ServerContext) async throws -> Void
    ) {
        register(descriptor) { call, context in
            try await handler(RequestStream<Request>(call.requests), RPCWriter { try await call.send($0) }, context)
        }
    }

    private mutating func register(
        _ descriptor: MethodDescriptor,
        run: nonisolated(nonsending) @escaping @Sendable (ServerCall, ServerContext) async throws -> Void
    ) {
        methods[descriptor.path] = Method(descriptor: descriptor, run: run)
        services.insert(descriptor.service)
    }
}
