import Foundation
import FramedRPCCodegen
import SwiftProtobufPluginLibrary
import Testing

/// The generator as protoc drives it: a `CodeGeneratorRequest` in, a response out.
@Suite("protoc plugin requests")
struct FramedRPCGeneratorTests {
    private func request(parameter: String) throws -> Google_Protobuf_Compiler_CodeGeneratorRequest {
        var request = Google_Protobuf_Compiler_CodeGeneratorRequest()
        request.protoFile = try ProtoCompiler.compile(
            ["snapshot/v1/greeter.proto"],
            includeDirectory: Snapshot.bundleDirectory
        )
        request.fileToGenerate = ["snapshot/v1/messages.proto", "snapshot/v1/greeter.proto"]
        request.parameter = parameter
        return request
    }

    @Test("writes one file per proto, even for a proto without services")
    func writesOneFilePerProto() throws {
        let response = generateCode(request: try request(parameter: "Visibility=Public"), generator: FramedRPCGenerator())

        #expect(response.error.isEmpty)
        #expect(response.file.map(\.name) == ["snapshot_v1_messages.framedrpc.swift", "snapshot_v1_greeter.framedrpc.swift"])
        #expect(response.file.first?.content == FileGenerator.header(forProto: "snapshot/v1/messages.proto"))
    }

    @Test("fails the request for an unknown option, naming it")
    func rejectsUnknownOption() throws {
        let response = generateCode(request: try request(parameter: "Visibilty=Public"), generator: FramedRPCGenerator())

        #expect(response.file.isEmpty)
        #expect(response.error.contains("unknown option 'Visibilty'"))
        #expect(response.error.contains("'Visibility'"))
    }

    @Test(
        "honours FileNaming",
        arguments: [
            ("FileNaming=FullPath", "snapshot/v1/greeter.framedrpc.swift"),
            ("FileNaming=DropPath", "greeter.framedrpc.swift"),
            ("FileNaming=path_to_underscores", "snapshot_v1_greeter.framedrpc.swift"),
        ])
    func honoursFileNaming(parameter: String, expectedName: String) throws {
        let response = generateCode(request: try request(parameter: parameter), generator: FramedRPCGenerator())

        #expect(response.error.isEmpty)
        #expect(response.file.last?.name == expectedName)
    }
}
