import SwiftProtobufPluginLibrary

/// Writes the Swift API of one service: the namespace enum with its method descriptors, the
/// server protocol, the typed client and the router registration.
///
/// The layout is fixed so generated files diff cleanly: everything is written in `.proto`
/// order, one declaration per line group, four-space indentation.
struct ServiceGenerator {
    /// The fully qualified service name, e.g. `framedrpc.testing.TestService`.
    let fullName: String
    /// The namespace enum, e.g. `Framedrpc_Testing_TestService`.
    let typeName: String
    /// The leading comment from the `.proto` as `///` lines; empty if none.
    let documentation: String
    /// The RPCs in `.proto` order.
    let methods: [RPCMethod]
    /// The access keyword and space to put before each declaration (empty for internal).
    let access: String
    /// The files that define the service, for reflection.
    let protoFiles: ProtoFileList

    init(_ service: ServiceDescriptor, namer: SwiftProtobufNamer, visibility: Visibility, protoFiles: ProtoFileList) {
        fullName = service.fullName
        typeName = namer.typePrefix(forFile: service.file) + service.name
        documentation = service.protoSourceComments()
        methods = service.methods.map { RPCMethod($0, namer: namer) }
        access = visibility.declarationPrefix
        self.protoFiles = protoFiles
    }

    /// Prints the whole service.
    func print(into p: inout CodePrinter) {
        p.print("// MARK: - \(fullName)", "")
        p.print("/// Namespace for the service `\(fullName)`.")
        if !documentation.isEmpty {
            p.print("///")
            p.print(documentation, newlines: false)
        }
        p.print("\(access)enum \(typeName) {")
        p.withIndentation { p in
            p.print("/// The fully qualified service name.")
            p.print("\(access)static let serviceName = \(quoted(fullName))")
            p.print()
            printMethodNamespace(into: &p)
            p.print()
            printProtoFiles(into: &p)
            p.print()
            printServiceProtocol(into: &p)
            p.print()
            printClient(into: &p)
        }
        p.print("}")
        p.print()
        printRegistration(into: &p)
    }

    /// `enum Method`: per RPC its message types and descriptor, then the list of descriptors.
    private func printMethodNamespace(into p: inout CodePrinter) {
        p.print("/// Method descriptors, one namespace per RPC.")
        p.print("\(access)enum Method {")
        p.withIndentation { p in
            for method in methods {
                p.print("/// `\(method.protoName)`: \(method.kind.summary).")
                p.print("\(access)enum \(method.typeName) {")
                p.withIndentation { p in
                    p.print("/// The request message.")
                    p.print("\(access)typealias Input = \(method.inputType)")
                    p.print("/// The response message.")
                    p.print("\(access)typealias Output = \(method.outputType)")
                    p.print("/// Names the method on the wire: `/\(fullName)/\(method.protoName)`.")
                    p.print("\(access)static let descriptor = FramedRPC.MethodDescriptor(")
                    p.printIndented(
                        "service: \(quoted(fullName)),",
                        "method: \(quoted(method.protoName)),",
                        "kind: .\(method.kind.rawValue)"
                    )
                    p.print(")")
                }
                p.print("}", "")
            }
            p.print("/// Every method of the service.")
            if methods.isEmpty {
                p.print("\(access)static let descriptors: [FramedRPC.MethodDescriptor] = []")
            } else {
                p.print("\(access)static let descriptors: [FramedRPC.MethodDescriptor] = [")
                p.withIndentation { p in
                    for method in methods {
                        p.print("\(method.typeName).descriptor,")
                    }
                }
                p.print("]")
            }
        }
        p.print("}")
    }

    /// `static let protoFiles`: the service's files as server reflection serves them.
    private func printProtoFiles(into p: inout CodePrinter) {
        p.print("/// The proto file declaring the service, then every file it imports: serialized")
        p.print("/// `google.protobuf.FileDescriptorProto`s in base64, for server reflection.")
        p.print("\(access)static let protoFiles = FramedRPC.ServiceProtoFiles(")
        p.withIndentation { p in
            p.print("service: \(quoted(fullName)),")
            p.print("files: [")
            p.withIndentation { p in
                for file in protoFiles.files {
                    p.print("(\(quoted(file.name)), \(quoted(file.base64))),")
                }
            }
            p.print("]")
        }
        p.print(")")
    }

    /// The Swift string literal for an identifier-like proto name (letters, digits, `_`, `.`, `/`)
    /// or base64 text: nothing to escape.
    func quoted(_ name: String) -> String {
        "\"\(name)\""
    }
}
