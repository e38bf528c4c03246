import FramedRPC

/// The benchmark's echo: the response carries the request's payload back.
struct EchoService: Framedrpc_Bench_Echo.ServiceProtocol {
    func get(
        request: Framedrpc_Bench_EchoRequest,
        context: ServerContext
    ) async throws -> Framedrpc_Bench_EchoResponse {
        .with { $0.payload = request.payload }
    }
}
