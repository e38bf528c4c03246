import CardexCore
import CardexProto
import CardexUseCases
import FramedRPC
import FramedRPCHealth
import FramedRPCReflection

/// Authenticates calls by their session token.
///
/// A call carrying `authorization: Bearer <token>` runs as that token's session (handlers read it
/// with ``FramedRPC/ServerContext/caller()``); a missing, malformed, unknown or revoked token is
/// `UNAUTHENTICATED`, and so is an app password's (``DeviceSession/Kind/appPassword``: CardDAV only).
/// Sessions found recently come from a ``SessionCache``. Only the methods in
/// ``openMethods`` run without a token: asking for and checking a sign-in code, the health checks
/// a load balancer makes, and reflection (served only when the operator turns it on). An open
/// method runs as the session of a valid token, and without one when the token is missing, stale
/// or malformed: a device whose session ended signs in again without first forgetting its token.
struct SessionInterceptor: ServerInterceptor {
    /// The metadata key carrying the token.
    static let metadataKey = "authorization"

    /// Methods callable without a session.
    static let openMethods: Set<MethodDescriptor> = [
        Cardex_V1_RegistrationService.Method.RequestCode.descriptor,
        Cardex_V1_RegistrationService.Method.VerifyCode.descriptor,
        Framedrpc_Health_V1_Health.Method.Check.descriptor,
        Framedrpc_Health_V1_Health.Method.Watch.descriptor,
        Framedrpc_Reflection_V1_ServerReflection.Method.ServerReflectionInfo.descriptor,
    ]

    let accounts: Accounts
    let clock: any WallClock
    let cache: SessionCache

    func intercept(context: ServerContext, next: (ServerContext) async throws -> Void) async throws {
        var context = context
        let isOpen = Self.openMethods.contains(context.descriptor)
        if let header = context.requestMetadata.firstText(Self.metadataKey) {
            do {
                context.attributes[CallerKey.self] = try await session(from: header)
            } catch let error as RPCError where isOpen && error.code == .unauthenticated {
                // An open method needs no session: a stale token does not keep the device out.
            }
        } else if !isOpen {
            throw RPCError(
                code: .unauthenticated,
                message: "\(context.descriptor.path) needs a session: send \"authorization: Bearer <token>\" with the token from VerifyCode")
        }
        try await next(context)
    }

    /// The session of an `authorization` header.
    /// - Throws: UNAUTHENTICATED for a malformed header, or a token of no live session.
    private func session(from header: String) async throws -> DeviceSession {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty, parts[1].utf8.count <= 256 else {
            throw RPCError(code: .unauthenticated, message: "authorization metadata must be \"Bearer <session token>\"")
        }
        let hash = SessionToken(text: String(parts[1])).hash
        guard let session = try await cache.session(tokenHash: hash, load: { try await accounts.session(tokenHash: hash, now: clock.now()) }) else {
            throw RPCError(
                code: .unauthenticated,
                message: "the session token is not valid (revoked, or the account was deleted): sign in again with a code")
        }
        guard session.kind == .device else {
            throw RPCError(code: .unauthenticated, message: "an app password signs in to CardDAV only: sign in with a code for a session token")
        }
        return session
    }
}

/// The authenticated session of a call.
enum CallerKey: AttributeKey {
    typealias Value = DeviceSession
}

extension ServerContext {
    /// The session making the call, if it sent a valid token.
    var session: DeviceSession? { attributes[CallerKey.self] }

    /// The session making the call.
    /// - Throws: `UNAUTHENTICATED` when the call has none (only open methods can get this far without one).
    func caller() throws -> DeviceSession {
        guard let session else {
            throw RPCError(code: .unauthenticated, message: "this call needs a session: sign in first")
        }
        return session
    }

    /// The client's network address without its port, for per-address limits.
    var clientAddress: String {
        guard let colon = peer.lastIndex(of: ":") else { return peer }
        return String(peer[..<colon])
    }
}
