import FramedRPC
import Synchronization

/// Sends the session token with every call (`authorization: Bearer <token>`), once one is set.
///
/// Set the token after `VerifyCode`; calls made before that go without one (only code request
/// and verification accept that). Safe to share and update from any task.
public final class SessionCredentials: ClientInterceptor {
    private let storage: Mutex<String?>

    /// Creates credentials, optionally with a token from an earlier sign-in.
    public init(token: String? = nil) {
        storage = Mutex(token)
    }

    /// The token sent with calls; `nil` sends none.
    public var token: String? {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }

    public func intercept<Result>(
        context: ClientCallContext,
        next: (ClientCallContext) async throws -> Result
    ) async throws -> Result {
        var context = context
        if let token {
            context.metadata.removeAll("authorization")
            context.metadata.add("authorization", text: "Bearer \(token)")
        }
        return try await next(context)
    }
}
