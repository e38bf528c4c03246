import Foundation
import SwiftProtobuf
import SwiftProtobufPluginLibrary

/// Compiles `.proto` files with the system protoc into descriptors the generator can read, the
/// way protoc would hand them to a plugin (imports and source comments included).
enum ProtoCompiler {
    /// Why compiling failed; the message says what to do.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `PROTOC_PATH`, else `/usr/bin/protoc`, else the first `protoc` on `PATH`.
    static func findProtoc() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        let fileManager = FileManager.default
        if let configured = environment["PROTOC_PATH"], !configured.isEmpty {
            return URL(filePath: configured)
        }
        let candidates =
            ["/usr/bin/protoc"]
            + (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/protoc" }
        guard let found = candidates.first(where: { fileManager.isExecutableFile(atPath: $0) }) else {
            throw Failure(
                description: "protoc not found: install protobuf-compiler (apt-get install protobuf-compiler) or set PROTOC_PATH"
            )
        }
        return URL(filePath: found)
    }

    /// Runs protoc on `protos` (relative to `includeDirectory`) and returns the descriptor protos
    /// of them and everything they import, dependencies first.
    static func compile(_ protos: [String], includeDirectory: URL) throws -> [Google_Protobuf_FileDescriptorProto] {
        let output = FileManager.default.temporaryDirectory
            .appending(path: "framedrpc-codegen-\(UUID().uuidString).pb")
        defer { try? FileManager.default.removeItem(at: output) }

        let process = Process()
        process.executableURL = try findProtoc()
        process.arguments =
            [
                "-I", includeDirectory.path(),
                "--descriptor_set_out=\(output.path())",
                "--include_imports",
                "--include_source_info",
            ] + protos
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "protoc failed (exit \(process.terminationStatus)): \(message)")
        }
        return try Google_Protobuf_FileDescriptorSet(serializedBytes: Data(contentsOf: output)).file
    }

    /// Compiles `file` and returns its descriptor, linked with the files it imports.
    static func fileDescriptor(_ file: String, includeDirectory: URL) throws -> FileDescriptor {
        let set = DescriptorSet(protos: try compile([file], includeDirectory: includeDirectory))
        guard let descriptor = set.fileDescriptor(named: file) else {
            throw Failure(description: "protoc returned no descriptor for \(file)")
        }
        return descriptor
    }
}
