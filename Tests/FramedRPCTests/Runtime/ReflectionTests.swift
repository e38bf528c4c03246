import Foundation
import FramedRPC
import FramedRPCInterop
import FramedRPCReflection
import SwiftProtobuf
import Testing

/// Server reflection, through the generated client, as a generic client uses it: one stream,
/// several questions, one answer each, in order.
@Suite("Reflection")
struct ReflectionTests {
    typealias Request = Framedrpc_Reflection_V1_ServerReflectionRequest
    typealias Response = Framedrpc_Reflection_V1_ServerReflectionResponse

    /// Asks `questions` on one reflection stream of a server serving the interop service and
    /// reflection, and returns the answers.
    func ask(_ questions: [Request], transport: TestTransport = .inProcess) async throws -> [Response] {
        let test = TestServiceImplementation()
        let services: [any RPCService] = [test, try ReflectionService(describing: [test])]
        return try await withServer(services: services, transport: transport) { _, client in
            try await Framedrpc_Reflection_V1_ServerReflection.Client(wrapping: client).serverReflectionInfo { requests, responses in
                var answers: [Response] = []
                var iterator = responses.makeAsyncIterator()
                for question in questions {
                    try await requests.write(question)
                    answers.append(try #require(try await iterator.next()))
                }
                await requests.finish()
                #expect(try await iterator.next() == nil)
                return answers
            }
        }
    }

    func files(_ response: Response) throws -> [Google_Protobuf_FileDescriptorProto] {
        try response.fileDescriptorResponse.fileDescriptorProto.map { try Google_Protobuf_FileDescriptorProto(serializedBytes: $0) }
    }

    @Test("lists the services the server serves, itself included", arguments: TestTransport.allCases)
    func listsServices(transport: TestTransport) async throws {
        let answers = try await ask([.with { $0.listServices = "" }], transport: transport)

        #expect(
            answers[0].listServicesResponse.service.map(\.name) == [
                "framedrpc.reflection.v1.ServerReflection", "framedrpc.testing.TestService",
            ])
        #expect(answers[0].originalRequest.listServices == "")
    }

    @Test("a service's symbol gives its file, then every file it imports, with their comments")
    func fileContainingService() async throws {
        let answers = try await ask([.with { $0.fileContainingSymbol = "framedrpc.testing.TestService" }])
        let files = try files(answers[0])

        #expect(files.map(\.name) == ["framedrpc/testing/test.proto", "framedrpc/testing/empty.proto", "framedrpc/testing/messages.proto"])
        let service = try #require(files[0].service.first)
        #expect(service.name == "TestService")
        #expect(service.method.contains { $0.name == "FullDuplexCall" && $0.clientStreaming && $0.serverStreaming })
        #expect(files[0].hasSourceCodeInfo)
    }

    @Test("methods, messages, nested types, fields and enum values are symbols; a file comes by its path")
    func otherSymbols() async throws {
        let answers = try await ask([
            .with { $0.fileContainingSymbol = "framedrpc.testing.TestService.UnaryCall" },
            .with { $0.fileContainingSymbol = ".framedrpc.testing.SimpleRequest" },
            .with { $0.fileContainingSymbol = "framedrpc.testing.SimpleRequest.response_size" },
            .with { $0.fileByFilename = "framedrpc/testing/empty.proto" },
        ])

        #expect(try files(answers[0]).first?.name == "framedrpc/testing/test.proto")
        #expect(try files(answers[1]).map(\.name) == ["framedrpc/testing/messages.proto"])
        #expect(try files(answers[2]).first?.name == "framedrpc/testing/messages.proto")
        #expect(try files(answers[3]).map(\.name) == ["framedrpc/testing/empty.proto"])
    }

    @Test("what it cannot answer gets an error response, and the stream goes on")
    func errorsKeepTheStreamOpen() async throws {
        let answers = try await ask([
            .with { $0.fileContainingSymbol = "framedrpc.testing.NoSuchThing" },
            .with { $0.fileByFilename = "no/such.proto" },
            .with { $0.fileContainingExtension = .with { $0.containingType = "framedrpc.testing.SimpleRequest" } },
            Request(),
            .with { $0.listServices = "" },
        ])

        #expect(
            answers.prefix(4).map(\.errorResponse.errorCode) == [
                Int32(StatusCode.notFound.rawValue), Int32(StatusCode.notFound.rawValue),
                Int32(StatusCode.unimplemented.rawValue), Int32(StatusCode.invalidArgument.rawValue),
            ])
        #expect(answers[0].errorResponse.errorMessage.contains("framedrpc.testing.NoSuchThing"))
        #expect(answers[4].listServicesResponse.service.count == 2)
    }

    @Test("files that are not descriptors are refused when the service is made")
    func invalidFilesAreRefused() throws {
        struct Broken: RPCService {
            func registerMethods(with router: inout RPCRouter) {
                router.addProtoFiles(ServiceProtoFiles(service: "x.Broken", files: [("x.proto", "bm90IGEgZGVzY3JpcHRvcg==")]))
            }
        }
        #expect(throws: (any Error).self) { try ReflectionService(describing: [Broken()]) }
    }
}
