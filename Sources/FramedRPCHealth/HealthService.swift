import FramedRPC

/// `framedrpc.health.v1.Health`: answers what ``HealthStatuses`` holds, as `grpc.health.v1`
/// does. Check: the status now, NOT_FOUND for a service not known. Watch: the status now
/// (SERVICE_UNKNOWN for one not known), then each change, until the client cancels or the
/// server stops (UNAVAILABLE).
public struct HealthService: Framedrpc_Health_V1_Health.ServiceProtocol {
    /// What it answers.
    public let statuses: HealthStatuses

    /// Creates the service over `statuses`.
    public init(statuses: HealthStatuses) {
        self.statuses = statuses
    }

    public func check(
        request: Framedrpc_Health_V1_HealthCheckRequest, context: ServerContext
    ) async throws -> Framedrpc_Health_V1_HealthCheckResponse {
        guard let status = statuses.status(of: request.service) else {
            throw RPCError(code: .notFound, message: "unknown service \"\(request.service)\"")
        }
        return .with { $0.status = Self.proto(status) }
    }

    public func watch(
        request: Framedrpc_Health_V1_HealthCheckRequest, response: RPCWriter<Framedrpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        for await status in statuses.watch(request.service) {
            try await response.write(.with { $0.status = status.map(Self.proto) ?? .serviceUnknown })
        }
        try Task.checkCancellation()
        throw RPCError(code: .unavailable, message: "the server is stopping: watch another instance or reconnect later")
    }

    static func proto(_ status: HealthStatuses.Status) -> Framedrpc_Health_V1_HealthCheckResponse.ServingStatus {
        switch status {
        case .serving: .serving
        case .notServing: .notServing
        }
    }
}
