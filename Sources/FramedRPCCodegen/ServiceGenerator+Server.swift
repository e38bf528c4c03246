import SwiftProtobufPluginLibrary

extension ServiceGenerator {
    /// `protocol ServiceProtocol`: one requirement per RPC, shaped by its streaming kind.
    func printServiceProtocol(into p: inout CodePrinter) {
        p.print("/// The server side: implement one method per RPC.")
        p.print("\(access)protocol ServiceProtocol: FramedRPC.RPCService {")
        p.withIndentation { p in
            for (index, method) in methods.enumerated() {
                if index > 0 { p.print() }
                p.print(method.documentation(orElse: "Handles `\(method.protoName)`: \(method.kind.summary)."), newlines: false)
                p.print("func \(method.functionName)(")
                p.printIndented(handlerParameters(method).map { "\($0.label): \($0.type)" }.joined(separator: ",\n"))
                p.print(handlerReturnClause(method))
            }
        }
        p.print("}")
    }

    /// `extension ServiceProtocol`: `registerMethods(with:)`, routing every RPC to its requirement.
    func printRegistration(into p: inout CodePrinter) {
        p.print("extension \(typeName).ServiceProtocol {")
        p.withIndentation { p in
            p.print("/// Registers every method of `\(fullName)` with the router, and the files defining it.")
            p.print("\(access)func registerMethods(with router: inout FramedRPC.RPCRouter) {")
            p.withIndentation { p in
                p.print("router.addProtoFiles(\(typeName).protoFiles)")
                for method in methods {
                    let arguments = handlerParameters(method).map(\.label)
                    let call = arguments.map { "\($0): \($0)" }.joined(separator: ", ")
                    p.print(
                        "router.\(method.kind.registerFunction)(\(typeName).Method.\(method.typeName).descriptor) { "
                            + arguments.joined(separator: ", ") + " in"
                    )
                    p.printIndented("try await self.\(method.functionName)(\(call))")
                    p.print("}")
                }
            }
            p.print("}")
        }
        p.print("}")
    }

    /// The parameters of a handler requirement, in order; the labels double as the names of
    /// the registration closure's parameters.
    private func handlerParameters(_ method: RPCMethod) -> [(label: String, type: String)] {
        let request = (label: "request", type: method.inputType)
        let requests = (label: "requests", type: "FramedRPC.RequestStream<\(method.inputType)>")
        let response = (label: "response", type: "FramedRPC.RPCWriter<\(method.outputType)>")
        let context = (label: "context", type: "FramedRPC.ServerContext")
        switch method.kind {
        case .unary: return [request, context]
        case .clientStreaming: return [requests, context]
        case .serverStreaming: return [request, response, context]
        case .bidirectionalStreaming: return [requests, response, context]
        }
    }

    private func handlerReturnClause(_ method: RPCMethod) -> String {
        switch method.kind {
        case .unary, .clientStreaming: ") async throws -> \(method.outputType)"
        case .serverStreaming, .bidirectionalStreaming: ") async throws"
        }
    }
}
