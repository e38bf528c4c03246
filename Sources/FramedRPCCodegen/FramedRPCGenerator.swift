import SwiftProtobuf
import SwiftProtobufPluginLibrary

/// The protoc plugin: for each `.proto` file protoc asks for, writes one `.framedrpc.swift` file
/// with the FramedRPC service API (see ``FileGenerator``).
///
/// Options arrive as `--framedrpc_opt=Visibility=Public` (see ``GeneratorOptions``); an unknown
/// option fails the whole request with a message protoc prints.
public struct FramedRPCGenerator: CodeGenerator {
    /// Creates the generator.
    public init() {}

    /// Generates one file per entry of `files`.
    ///
    /// - Throws: ``GeneratorError`` when the options do not parse; errors from `generatorOutputs`
    ///   (such as two protos mapping to the same output name under `FileNaming=DropPath`).
    public func generate(
        files: [FileDescriptor],
        parameter: any CodeGeneratorParameter,
        protoCompilerContext: any ProtoCompilerContext,
        generatorOutputs: any GeneratorOutputs
    ) throws {
        let options = try GeneratorOptions(pairs: parameter.parsedPairs)
        for file in files {
            let generator = FileGenerator(file: file, options: options)
            try generatorOutputs.add(fileName: generator.outputFileName, contents: try generator.generate())
        }
    }

    /// proto3 `optional` fields and editions change nothing in service code, so both are fine.
    public var supportedFeatures: [Google_Protobuf_Compiler_CodeGeneratorResponse.Feature] {
        [.proto3Optional, .supportsEditions]
    }

    /// The editions SwiftProtobufPluginLibrary can resolve.
    public var supportedEditionRange: ClosedRange<Google_Protobuf_Edition> {
        DescriptorSet.bundledEditionsSupport
    }

    /// Printed by `protoc-gen-framedrpc --version`.
    public var version: String? { "1.0.0" }
}
