import Foundation
import FramedRPC

/// `framedrpc.reflection.v1.ServerReflection`: tells a generic client (the `framedrpc` CLI) which
/// services a server serves and the proto files that define them, as `grpc.reflection.v1` does.
///
/// Made from the services the server registers, so that what it lists is what the server
/// serves; it lists itself too. Files come from the generated registrations
/// (``FramedRPC/RPCRouter/addProtoFiles(_:)``). Extension questions are answered UNIMPLEMENTED:
/// FramedRPC services use no extensions.
public struct ReflectionService: Framedrpc_Reflection_V1_ServerReflection.ServiceProtocol {
    private typealias Request = Framedrpc_Reflection_V1_ServerReflectionRequest
    private typealias Response = Framedrpc_Reflection_V1_ServerReflectionResponse

    private let serviceNames: [String]
    private let files: ReflectedFiles

    /// Creates the service describing `services` (the others the server serves) and itself.
    ///
    /// - Throws: when a service's proto files are not valid descriptors: only a hand-made
    ///   ``FramedRPC/ServiceProtoFiles`` can make that happen.
    public init(describing services: [any RPCService]) throws {
        var router = RPCRouter(services: services)
        router.addProtoFiles(Framedrpc_Reflection_V1_ServerReflection.protoFiles)
        serviceNames = Set(router.serviceNames + [Framedrpc_Reflection_V1_ServerReflection.serviceName]).sorted()
        files = try ReflectedFiles(Array(router.protoFiles.values))
    }

    public func serverReflectionInfo(
        requests: RequestStream<Framedrpc_Reflection_V1_ServerReflectionRequest>,
        response: RPCWriter<Framedrpc_Reflection_V1_ServerReflectionResponse>,
        context: ServerContext
    ) async throws {
        for try await request in requests {
            try await response.write(answer(request))
        }
    }

    private func answer(_ request: Request) -> Response {
        var response = Response.with {
            $0.validHost = request.host
            $0.originalRequest = request
        }
        switch request.messageRequest {
        case .listServices:
            response.listServicesResponse = .with {
                $0.service = serviceNames.map { name in .with { $0.name = name } }
            }
        case .fileByFilename(let path):
            response.messageResponse = filesResponse(files.fileWithImports(path), notFound: "no file \"\(path)\"")
        case .fileContainingSymbol(let symbol):
            let path = files.file(defining: symbol)
            response.messageResponse = filesResponse(path.flatMap(files.fileWithImports), notFound: "no symbol \"\(symbol)\"")
        case .fileContainingExtension, .allExtensionNumbersOfType:
            response.messageResponse = error(.unimplemented, "FramedRPC services use no extensions")
        case nil:
            response.messageResponse = error(.invalidArgument, "the request asks nothing: set one of its message_request fields")
        }
        return response
    }

    private func filesResponse(_ files: [Data]?, notFound: String) -> Response.OneOf_MessageResponse {
        guard let files else { return error(.notFound, notFound) }
        return .fileDescriptorResponse(.with { $0.fileDescriptorProto = files })
    }

    private func error(_ code: StatusCode, _ message: String) -> Response.OneOf_MessageResponse {
        .errorResponse(
            .with {
                $0.errorCode = Int32(code.rawValue)
                $0.errorMessage = message
            })
    }
}
