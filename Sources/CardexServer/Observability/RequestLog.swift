import Foundation
import FramedRPC
import Logging

/// The id of the call a task serves, for the logs: the request's `x-request-id` (a client's or
/// a proxy's) when it is 1 to 64 printable ASCII characters, else 16 hex digits made here. Every
/// line the server logs while serving the call carries it as `request_id` (``metadataProvider``),
/// and the call's trailing metadata returns it, so a client can quote it.
public enum RequestID {
    /// The id of the call the current task serves; `nil` outside a call.
    @TaskLocal public static var current: String?

    /// The metadata key, in a request and in the trailing metadata of its answer.
    public static let metadataKey = "x-request-id"

    /// Adds `request_id` to every line logged while a call is served.
    public static let metadataProvider = Logger.MetadataProvider {
        current.map { ["request_id": .string($0)] } ?? [:]
    }

    /// `text` when it may serve as an id.
    static func accepted(_ text: String) -> String? {
        guard (1...64).contains(text.utf8.count), text.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
        return text
    }

    /// A new id: 16 hex digits.
    static func make() -> String {
        String(format: "%016llx", UInt64.random(in: .min ... .max))
    }
}

/// Gives each call its request id (``RequestID``) and logs, at debug level, one line per call
/// when it ends: the method, the status code and how long it took. Outermost of Cardex's
/// interceptors, so every other line about the call carries the id.
struct RequestLogInterceptor: ServerInterceptor {
    let logger: Logger

    func intercept(context: ServerContext, next: (ServerContext) async throws -> Void) async throws {
        let id = context.requestMetadata.firstText(RequestID.metadataKey).flatMap(RequestID.accepted) ?? RequestID.make()
        context.addTrailingMetadata([RequestID.metadataKey: .text(id)])
        try await RequestID.$current.withValue(id) {
            let start = ContinuousClock.now
            var code = StatusCode.ok
            defer {
                let elapsed = ContinuousClock.now - start
                logger.debug(
                    "call ended",
                    metadata: [
                        "method": "\(context.descriptor.path)", "status": "\(code)",
                        "ms": "\(String(format: "%.3f", elapsed / .milliseconds(1)))",
                    ])
            }
            do {
                try await next(context)
            } catch {
                code = (error as? RPCError)?.code ?? (error is CancellationError ? .cancelled : .unknown)
                throw error
            }
        }
    }
}
