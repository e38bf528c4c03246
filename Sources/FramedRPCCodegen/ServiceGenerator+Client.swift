import SwiftProtobufPluginLibrary

extension ServiceGenerator {
    /// `struct Client`: typed calls over a `FramedRPC.RPCClient`. Unary and client-streaming
    /// RPCs get two overloads: one returning the message, one handing the whole
    /// `ClientResponse` (with metadata) to a closure.
    func printClient(into p: inout CodePrinter) {
        p.print("/// The typed client.")
        p.print("\(access)struct Client: Sendable {")
        p.withIndentation { p in
            p.print("/// The underlying untyped client.")
            p.print("\(access)let client: FramedRPC.RPCClient")
            p.print()
            p.print("/// Creates a typed client that makes its calls through `client`.")
            p.print("\(access)init(wrapping client: FramedRPC.RPCClient) {")
            p.printIndented("self.client = client")
            p.print("}")
            for method in methods {
                for function in clientFunctions(method) {
                    p.print()
                    function.print(name: method.functionName, access: access, into: &p)
                }
            }
        }
        p.print("}")
    }

    /// The client functions of one RPC, shaped by its streaming kind.
    private func clientFunctions(_ method: RPCMethod) -> [ClientFunction] {
        let doc = method.documentation(orElse: "Calls `\(method.protoName)`: \(method.kind.summary).")
        let input = method.inputType
        let output = method.outputType
        let descriptor = "Method.\(method.typeName).descriptor"
        let request = "_ request: \(input)"
        let producer = "requestProducer: (FramedRPC.RequestWriter<\(input)>) async throws -> Void"

        /// The two overloads of a call with one response: the message, or the whole response
        /// (with metadata) handed to the caller's closure.
        func messageAndHandleOverloads(_ call: [String], leading: [String] = [], trailing: [String] = []) -> [ClientFunction] {
            let handleDoc = doc + "///\n/// `handle` receives the response with its metadata; what it returns is returned.\n"
            let handleResponse = "onResponse handle: (FramedRPC.ClientResponse<\(output)>) async throws -> Result"
            return [
                ClientFunction(doc: doc, leading: leading, trailing: trailing, returns: output, body: call.appendingToLast(".message")),
                ClientFunction(
                    doc: handleDoc,
                    isGeneric: true,
                    leading: leading,
                    trailing: trailing + [handleResponse],
                    returns: "Result",
                    body: call.wrapped(in: "handle")
                ),
            ]
        }

        switch method.kind {
        case .unary:
            let call = clientCall("unary", descriptor, ["request: request", "responseType: \(output).self"])
            return messageAndHandleOverloads(call, leading: [request])
        case .serverStreaming:
            let call = clientCall(
                "serverStreaming",
                descriptor,
                ["request: request", "responseType: \(output).self"],
                trailing: ["onResponse: handle"]
            )
            let handleStream = "onResponse handle: (FramedRPC.ResponseStream<\(output)>) async throws -> Result"
            return [
                ClientFunction(
                    doc: doc,
                    isGeneric: true,
                    leading: [request],
                    trailing: [handleStream],
                    returns: "Result",
                    body: call
                )
            ]
        case .clientStreaming:
            let call = clientCall(
                "clientStreaming",
                descriptor,
                ["requestType: \(input).self", "responseType: \(output).self"],
                trailing: ["requestProducer: requestProducer"]
            )
            return messageAndHandleOverloads(call, trailing: [producer])
        case .bidirectionalStreaming:
            let call = clientCall(
                "bidirectionalStreaming",
                descriptor,
                ["requestType: \(input).self", "responseType: \(output).self"],
                trailing: ["body: body"]
            )
            let body =
                "body: (FramedRPC.RequestWriter<\(input)>, FramedRPC.ResponseStream<\(output)>) async throws -> Result"
            return [ClientFunction(doc: doc, isGeneric: true, trailing: [body], returns: "Result", body: call)]
        }
    }

    /// The lines of `self.client.<function>(descriptor, <arguments>, metadata:, options:, <trailing>)`.
    private func clientCall(
        _ function: String,
        _ descriptor: String,
        _ arguments: [String],
        trailing: [String] = []
    ) -> [String] {
        let all = [descriptor] + arguments + ["metadata: metadata", "options: options"] + trailing
        return ["self.client.\(function)("] + indented(all.joined(separator: ",\n")) + [")"]
    }
}

/// One function of the generated client, ready to print.
private struct ClientFunction {
    /// `///` lines, each ending in a newline.
    var doc: String
    /// Whether the function is generic over `Result`, the value the caller's closure returns.
    var isGeneric = false
    /// Parameters before `metadata` and `options`.
    var leading: [String] = []
    /// Parameters after `metadata` and `options`: the closures, so trailing-closure syntax works.
    var trailing: [String] = []
    /// The return type.
    var returns: String
    /// The lines of the expression the function returns; printed after `try await`.
    var body: [String]

    func print(name: String, access: String, into p: inout CodePrinter) {
        let parameters =
            leading
            + ["metadata: FramedRPC.Metadata = [:]", "options: FramedRPC.CallOptions = .defaults"]
            + trailing
        p.print(doc, newlines: false)
        p.print("\(access)func \(name)\(isGeneric ? "<Result>" : "")(")
        p.printIndented(parameters.joined(separator: ",\n"))
        p.print(") async throws -> \(returns) {")
        p.printIndented("try await " + body.joined(separator: "\n"))
        p.print("}")
    }
}

/// Splits `text` into lines, each indented one level (four spaces).
private func indented(_ text: String) -> [String] {
    text.split(separator: "\n").map { "    " + $0 }
}

extension [String] {
    /// The lines with `suffix` added to the last one.
    fileprivate func appendingToLast(_ suffix: String) -> [String] {
        dropLast() + [(last ?? "") + suffix]
    }

    /// The lines as the argument of a call to `function`, one level in.
    fileprivate func wrapped(in function: String) -> [String] {
        ["\(function)("] + indented(joined(separator: "\n")) + [")"]
    }
}
