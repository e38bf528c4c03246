import Foundation
import SwiftProtobuf
import SwiftProtobufPluginLibrary

/// The proto files behind a service, as generated code carries them for server reflection: the
/// file that declares the service, then every file it imports, directly or not, each once, in the
/// order a depth-first walk of the imports meets them.
///
/// Each file is its `google.protobuf.FileDescriptorProto` with source comments (reflection
/// clients show them), serialized and in base64: one string literal per file compiles in a
/// moment where a byte-array literal of the same size takes the type checker seconds.
struct ProtoFileList {
    /// `(proto path, base64 of the serialized descriptor)`, the service's own file first.
    let files: [(name: String, base64: String)]

    init(of file: FileDescriptor) throws {
        var seen: Set<String> = []
        var ordered: [FileDescriptor] = []
        func visit(_ file: FileDescriptor) {
            guard seen.insert(file.name).inserted else { return }
            ordered.append(file)
            file.dependencies.forEach(visit)
        }
        visit(file)
        var options = ExtractProtoOptions()
        options.includeSourceCodeInfo = true
        files = try ordered.map { file in
            let bytes: [UInt8] = try file.extractProto(options: options).serializedBytes()
            return (file.name, Data(bytes).base64EncodedString())
        }
    }
}
