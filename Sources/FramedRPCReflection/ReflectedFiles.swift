import Foundation
import FramedRPC
import SwiftProtobuf

/// What reflection knows: the proto files behind the served services, by path, and which file
/// defines each symbol. Built once when the service is made; read-only after.
struct ReflectedFiles: Sendable {
    /// Why a list of files could not be indexed.
    struct InvalidFiles: Error, CustomStringConvertible {
        let description: String
    }

    /// Each file's serialized descriptor, by proto path.
    private var bytes: [String: Data] = [:]
    /// Each file's imports, by proto path.
    private var imports: [String: [String]] = [:]
    /// The file defining each fully qualified symbol (services, methods, messages, fields, enums,
    /// enum values), without the leading dot.
    private var definingFile: [String: String] = [:]

    /// Indexes every file of `lists`; a file named by several lists is indexed once.
    init(_ lists: [ServiceProtoFiles]) throws(InvalidFiles) {
        for list in lists {
            guard let files = list.descriptors() else {
                throw InvalidFiles(description: "the proto files of \(list.service) are not base64")
            }
            for file in files where bytes[file.name] == nil {
                let descriptor: Google_Protobuf_FileDescriptorProto
                do {
                    descriptor = try Google_Protobuf_FileDescriptorProto(serializedBytes: file.bytes)
                } catch {
                    throw InvalidFiles(description: "\(file.name), of \(list.service), is not a FileDescriptorProto: \(error)")
                }
                bytes[file.name] = file.bytes
                imports[file.name] = descriptor.dependency
                index(descriptor)
            }
        }
    }

    /// The file at `path`, then every file it imports, directly or not, each once; nil for a
    /// path not known.
    func fileWithImports(_ path: String) -> [Data]? {
        guard bytes[path] != nil else { return nil }
        var seen: Set<String> = []
        var ordered: [Data] = []
        var pending = [path]
        while let next = pending.popLast() {
            guard seen.insert(next).inserted, let file = bytes[next] else { continue }
            ordered.append(file)
            pending += (imports[next] ?? []).reversed()
        }
        return ordered
    }

    /// The path of the file defining `symbol` (a leading dot is allowed), or nil.
    func file(defining symbol: String) -> String? {
        definingFile[symbol.hasPrefix(".") ? String(symbol.dropFirst()) : symbol]
    }

    private mutating func index(_ file: Google_Protobuf_FileDescriptorProto) {
        let scope = file.package.isEmpty ? "" : file.package + "."
        for service in file.service {
            let name = scope + service.name
            definingFile[name] = file.name
            for method in service.method {
                definingFile[name + "." + method.name] = file.name
            }
        }
        for message in file.messageType { index(message, in: scope, file: file.name) }
        for enumeration in file.enumType { index(enumeration, in: scope, file: file.name) }
    }

    private mutating func index(_ message: Google_Protobuf_DescriptorProto, in scope: String, file: String) {
        let name = scope + message.name
        definingFile[name] = file
        for field in message.field {
            definingFile[name + "." + field.name] = file
        }
        for nested in message.nestedType { index(nested, in: name + ".", file: file) }
        for enumeration in message.enumType { index(enumeration, in: name + ".", file: file) }
    }

    private mutating func index(_ enumeration: Google_Protobuf_EnumDescriptorProto, in scope: String, file: String) {
        definingFile[scope + enumeration.name] = file
        // Enum values are scoped like siblings of their enum, as in protobuf.
        for value in enumeration.value {
            definingFile[scope + value.name] = file
        }
    }
}
