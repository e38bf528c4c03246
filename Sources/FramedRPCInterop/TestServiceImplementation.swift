import Foundation
import FramedRPC

/// The interop server's implementation of `framedrpc.testing.TestService`, behaving like
/// gRPC's interop server: payloads of the requested sizes, echoed metadata, requested statuses.
public struct TestServiceImplementation: Framedrpc_Testing_TestService.ServiceProtocol {
    /// Request metadata key whose value the server returns in the initial metadata.
    public static let echoInitialKey = "x-grpc-test-echo-initial"
    /// Request metadata key whose value the server returns in the trailing metadata.
    public static let echoTrailingKey = "x-grpc-test-echo-trailing-bin"

    /// Creates the service.
    public init() {}

    public func emptyCall(request: Framedrpc_Testing_Empty, context: ServerContext) async throws -> Framedrpc_Testing_Empty {
        Framedrpc_Testing_Empty()
    }

    public func unaryCall(request: Framedrpc_Testing_SimpleRequest, context: ServerContext) async throws -> Framedrpc_Testing_SimpleResponse {
        Self.echoMetadata(context)
        try Self.throwIfRequested(request.hasResponseStatus ? request.responseStatus : nil)
        return .with { $0.payload = Self.payload(size: request.responseSize) }
    }

    public func streamingOutputCall(
        request: Framedrpc_Testing_StreamingOutputCallRequest,
        response: RPCWriter<Framedrpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        Self.echoMetadata(context)
        try Self.throwIfRequested(request.hasResponseStatus ? request.responseStatus : nil)
        try await Self.respond(to: request.responseParameters, with: response)
    }

    public func streamingInputCall(
        requests: RequestStream<Framedrpc_Testing_StreamingInputCallRequest>,
        context: ServerContext
    ) async throws -> Framedrpc_Testing_StreamingInputCallResponse {
        var total = 0
        for try await request in requests {
            total += request.payload.body.count
        }
        return .with { $0.aggregatedPayloadSize = Int32(total) }
    }

    public func fullDuplexCall(
        requests: RequestStream<Framedrpc_Testing_StreamingOutputCallRequest>,
        response: RPCWriter<Framedrpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        Self.echoMetadata(context)
        for try await request in requests {
            try Self.throwIfRequested(request.hasResponseStatus ? request.responseStatus : nil)
            try await Self.respond(to: request.responseParameters, with: response)
        }
    }

    public func unimplementedCall(request: Framedrpc_Testing_Empty, context: ServerContext) async throws -> Framedrpc_Testing_Empty {
        throw RPCError(code: .unimplemented, message: "UnimplementedCall is deliberately not implemented")
    }

    private static func respond(
        to parameters: [Framedrpc_Testing_ResponseParameters],
        with writer: RPCWriter<Framedrpc_Testing_StreamingOutputCallResponse>
    ) async throws {
        for parameter in parameters {
            if parameter.intervalUs > 0 {
                try await Task.sleep(for: .microseconds(parameter.intervalUs))
            }
            try await writer.write(.with { $0.payload = payload(size: parameter.size) })
        }
    }

    private static func echoMetadata(_ context: ServerContext) {
        if let initial = context.requestMetadata.firstText(echoInitialKey) {
            context.setInitialMetadata([echoInitialKey: .text(initial)])
        }
        if let trailing = context.requestMetadata.firstBinary(echoTrailingKey) {
            context.addTrailingMetadata([echoTrailingKey: .binary(trailing)])
        }
    }

    private static func throwIfRequested(_ status: Framedrpc_Testing_EchoStatus?) throws {
        guard let status, status.code != 0 else { return }
        throw RPCError(code: StatusCode(wireValue: UInt32(clamping: status.code)), message: status.message)
    }

    static func payload(size: Int32) -> Framedrpc_Testing_Payload {
        .with { $0.body = Data(count: Int(max(size, 0))) }
    }
}
