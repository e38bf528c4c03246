/// A request Cardex refuses, with a message for the person who sent it.
///
/// The cases follow the RPC status codes the server answers with; the server maps them one to one.
/// Messages say what was wrong and what to do instead.
public enum CardexError: Error, Sendable, Hashable {
    /// The request itself is malformed (a bad phone number, an oversized card…).
    case invalidArgument(String)
    /// No valid session, or the session was revoked.
    case unauthenticated(String)
    /// The caller may not do this (a wrong or expired code, a foreign session…).
    case permissionDenied(String)
    /// The thing asked for does not exist, or the caller may not know that it does.
    case notFound(String)
    /// The thing to create already exists (for example the new number has an account).
    case alreadyExists(String)
    /// The request is valid but the state does not allow it (an etag that no longer matches…).
    case failedPrecondition(String)
    /// A limit was reached; `retryAfterSeconds` says when trying again can succeed, or is 0 when
    /// waiting does not help (the caller must first free something).
    case resourceExhausted(String, retryAfterSeconds: Int)

    /// The message for the caller.
    public var message: String {
        switch self {
        case .invalidArgument(let message), .unauthenticated(let message), .permissionDenied(let message),
            .notFound(let message), .alreadyExists(let message), .failedPrecondition(let message),
            .resourceExhausted(let message, _):
            message
        }
    }
}
