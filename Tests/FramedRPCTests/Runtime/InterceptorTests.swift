import Foundation
import FramedRPC
import FramedRPCInterop
import FramedRPCTestSupport
import Testing

/// Rejects calls without `authorization: let-me-in`; passes the caller's name on as an attribute.
struct TokenInterceptor: ServerInterceptor {
    func intercept(context: ServerContext, next: (ServerContext) async throws -> Void) async throws {
        guard context.requestMetadata.firstText("authorization") == "let-me-in" else {
            throw RPCError(code: .unauthenticated, message: "missing or wrong authorization metadata")
        }
        var context = context
        context.attributes[ProbeService.UserKey.self] = context.requestMetadata.firstText("x-user") ?? "anonymous"
        try await next(context)
    }
}

/// Adds the token to every call and counts the calls and their outcomes.
struct AddTokenInterceptor: ClientInterceptor {
    let seen = SeenCalls()

    func intercept<Result>(context: ClientCallContext, next: (ClientCallContext) async throws -> Result) async throws -> Result {
        var context = context
        context.metadata.add("authorization", text: "let-me-in")
        context.metadata.add("x-user", text: "ada")
        do {
            let result = try await next(context)
            seen.record("\(context.descriptor.method) ok")
            return result
        } catch let error as RPCError {
            seen.record("\(context.descriptor.method) \(error.code)")
            throw error
        }
    }
}

final class SeenCalls: Sendable {
    private let calls = RecordedStrings()
    func record(_ call: String) { calls.append(call) }
    var all: [String] { calls.values }
}

@Suite("Interceptors")
struct InterceptorTests {
    @Test("a server interceptor rejects unauthenticated calls and passes attributes on", arguments: TestTransport.allCases)
    func serverInterceptor(transport: TestTransport) async throws {
        try await withServer(services: [ProbeService()], interceptors: [TokenInterceptor()], transport: transport) { _, client in
            await expectRPCError(.unauthenticated) {
                try await client.unary(ProbeService.whoAmI, request: Framedrpc_Testing_Empty(), responseType: Framedrpc_Testing_SimpleResponse.self)
            }
            let response = try await client.unary(
                ProbeService.whoAmI, request: Framedrpc_Testing_Empty(), responseType: Framedrpc_Testing_SimpleResponse.self,
                metadata: ["authorization": "let-me-in", "x-user": "grace"]
            )
            #expect(String(decoding: response.message.payload.body, as: UTF8.self) == "grace")
        }
    }

    @Test("a client interceptor amends metadata and observes outcomes", arguments: TestTransport.allCases)
    func clientInterceptor(transport: TestTransport) async throws {
        let interceptor = AddTokenInterceptor()
        try await withServer(
            services: [ProbeService(), TestServiceImplementation()], interceptors: [TokenInterceptor()],
            clientInterceptors: [interceptor], transport: transport
        ) { _, client in
            let response = try await client.unary(ProbeService.whoAmI, request: Framedrpc_Testing_Empty(), responseType: Framedrpc_Testing_SimpleResponse.self)
            #expect(String(decoding: response.message.payload.body, as: UTF8.self) == "ada")
            let service = Framedrpc_Testing_TestService.Client(wrapping: client)
            await expectRPCError(.unimplemented) { try await service.unimplementedCall(Framedrpc_Testing_Empty()) }
            #expect(interceptor.seen.all == ["WhoAmI ok", "UnimplementedCall UNIMPLEMENTED"])
        }
    }
}
