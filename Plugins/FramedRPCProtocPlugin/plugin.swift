// The build tool plugin that turns a target's `.proto` files into Swift: messages through
// swift-protobuf's protoc-gen-swift, service stubs through protoc-gen-framedrpc.
import Foundation
import PackagePlugin

/// Runs protoc once per target, with both generators, on the protos its `framedrpc.json` lists.
///
/// The config sits in the target's source directory:
///
///     { "protos": ["framedrpc/testing/test.proto"], "visibility": "public" }
///
/// Proto paths are relative to the package's `Proto/` directory, which is also protoc's include
/// path. `visibility` is `internal` (the default), `public` or `package`. For `a/b/c.proto`
/// the target gets `a_b_c.pb.swift` and `a_b_c.framedrpc.swift`. protoc comes from
/// `PROTOC_PATH`, else from `PATH`.
@main
struct FramedRPCProtocPlugin: BuildToolPlugin {
    /// The config file's name, looked up in the target's source directory.
    static let configFileName = "framedrpc.json"
    /// The directory under the package root holding every `.proto`; protoc's `-I`.
    static let protoDirectoryName = "Proto"

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let configURL = target.directoryURL.appending(path: Self.configFileName)
        let config = try Config.load(from: configURL, target: target.name)
        let protoDirectory = context.package.directoryURL.appending(path: Self.protoDirectoryName)
        let outputDirectory = context.pluginWorkDirectoryURL
        let swiftGenerator = try context.tool(named: "protoc-gen-swift").url
        let framedRPCGenerator = try context.tool(named: "protoc-gen-framedrpc").url

        var arguments = [
            "-I", protoDirectory.fileSystemPath,
            "--plugin=protoc-gen-swift=\(swiftGenerator.fileSystemPath)",
            "--swift_out=\(outputDirectory.fileSystemPath)",
            "--swift_opt=Visibility=\(config.visibility.rawValue)",
            "--swift_opt=FileNaming=PathToUnderscores",
            "--plugin=protoc-gen-framedrpc=\(framedRPCGenerator.fileSystemPath)",
            "--framedrpc_out=\(outputDirectory.fileSystemPath)",
            "--framedrpc_opt=Visibility=\(config.visibility.rawValue)",
        ]
        arguments += config.protos

        let outputs = config.protos.flatMap { proto in
            let base = proto.dropLast(".proto".count).split(separator: "/").joined(separator: "_")
            return [
                outputDirectory.appending(path: base + ".pb.swift"),
                outputDirectory.appending(path: base + ".framedrpc.swift"),
            ]
        }
        let inputs =
            config.protos.map { protoDirectory.appending(path: $0) }
            + [configURL, swiftGenerator, framedRPCGenerator]

        let displayName = "Generating Swift for \(config.protos.count) proto file(s) of \(target.name)"
        let protoc: URL
        do {
            protoc = try Self.findProtoc(environment: ProcessInfo.processInfo.environment)
        } catch let error as PluginError {
            // SwiftPM plans every target of a package it depends on, built or not: failing here
            // would stop a package that uses only targets with checked-in code (FramedRPC,
            // CardexClient) from building without protoc. The command fails only if it runs.
            return [Self.failingCommand(displayName: displayName, message: error.description, outputFiles: outputs)]
        }
        return [
            .buildCommand(
                displayName: displayName,
                executable: protoc,
                arguments: arguments,
                inputFiles: inputs,
                outputFiles: outputs
            )
        ]
    }

    /// A build command that prints `message` and fails, for a target that cannot be generated.
    static func failingCommand(displayName: String, message: String, outputFiles: [URL]) -> Command {
        .buildCommand(
            displayName: displayName,
            executable: URL(filePath: "/bin/sh"),
            arguments: ["-c", #"echo "error: $1" >&2; exit 1"#, "sh", message],
            outputFiles: outputFiles
        )
    }

    /// `PROTOC_PATH` if set, else the first executable `protoc` on `PATH`.
    static func findProtoc(environment: [String: String]) throws -> URL {
        let fileManager = FileManager.default
        if let configured = environment["PROTOC_PATH"], !configured.isEmpty {
            guard fileManager.isExecutableFile(atPath: configured) else {
                throw PluginError("PROTOC_PATH is '\(configured)', which is not an executable file: point it at protoc or unset it")
            }
            return URL(filePath: configured)
        }
        let directories = (environment["PATH"] ?? "").split(separator: ":")
        for directory in directories {
            let candidate = URL(filePath: String(directory)).appending(path: "protoc")
            if fileManager.isExecutableFile(atPath: candidate.fileSystemPath) {
                return candidate
            }
        }
        throw PluginError(
            "protoc not found: install protobuf-compiler (apt-get install protobuf-compiler) or set PROTOC_PATH"
        )
    }
}

/// A target's `framedrpc.json`.
struct Config: Decodable {
    /// The access level given to generated declarations. Both generators read the lowercase
    /// spelling, whatever the case in the file.
    enum Visibility: String {
        case `internal`, `public`, `package`
    }

    /// The proto files to compile, relative to the package's `Proto/` directory.
    var protos: [String]
    /// The access level of the generated code; `internal` when the file does not say.
    var visibility: Visibility

    private enum CodingKeys: String, CodingKey {
        case protos, visibility
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        protos = try container.decode([String].self, forKey: .protos)
        let spelled = try container.decodeIfPresent(String.self, forKey: .visibility) ?? "internal"
        guard let visibility = Visibility(rawValue: spelled.lowercased()) else {
            throw PluginError("visibility '\(spelled)' is not one of internal, public, package")
        }
        self.visibility = visibility
    }

    /// Reads and checks the config of `target`.
    static func load(from url: URL, target: String) throws -> Config {
        guard FileManager.default.fileExists(atPath: url.fileSystemPath) else {
            throw PluginError(
                "target '\(target)' uses FramedRPCProtocPlugin but has no config: create \(url.fileSystemPath) "
                    + #"containing { "protos": ["path/relative/to/Proto/x.proto"], "visibility": "internal" }"#
            )
        }
        let config: Config
        do {
            config = try JSONDecoder().decode(Config.self, from: Data(contentsOf: url))
        } catch DecodingError.keyNotFound(let key, _) {
            throw PluginError("\(url.fileSystemPath) has no \"\(key.stringValue)\": list the protos to compile there")
        } catch {
            throw PluginError("\(url.fileSystemPath) is not a valid FramedRPC config: \(error)")
        }
        guard !config.protos.isEmpty else {
            throw PluginError("\(url.fileSystemPath) lists no protos: add at least one to \"protos\"")
        }
        for proto in config.protos where !proto.hasSuffix(".proto") || proto.hasPrefix("/") {
            throw PluginError(
                "\(url.fileSystemPath): '\(proto)' must be a .proto path relative to the package's Proto/ directory"
            )
        }
        return config
    }
}

/// A plugin failure; SwiftPM shows the message as the build error.
struct PluginError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension URL {
    /// The path as the file system spells it: `path()` would percent-encode spaces.
    var fileSystemPath: String {
        path(percentEncoded: false)
    }
}
