import Foundation

/// A webhook delivery failed: the receiver answered with a status other than 2xx, or no answer
/// arrived. The message stays queued and is retried with backoff.
public struct WebhookError: Error, CustomStringConvertible {
    /// The endpoint, without user info, query or fragment (they may hold credentials).
    public let url: String
    /// The HTTP status the receiver answered with, or `nil` when no answer arrived.
    public let status: Int?
    /// Why no answer arrived (connection refused, timeout…); `nil` when there was an answer.
    public let underlying: (any Error)?

    /// Creates the error for a request to `url`; credentials in `url` are dropped.
    public init(url: URL, status: Int?, underlying: (any Error)?) {
        self.url = Self.redacted(url)
        self.status = status
        self.underlying = underlying
    }

    /// Says what failed and what to do.
    public var description: String {
        if let status {
            return "webhook \(url) answered HTTP \(status), expected 2xx; "
                + "check the receiver's logs (the message is retried later)"
        }
        let reason = underlying.map { "\($0)" } ?? "unknown error"
        return "webhook \(url) gave no HTTP answer: \(reason); "
            + "check that the receiver is up and reachable (the message is retried later)"
    }

    private static func redacted(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else {
            return "<unparsable URL>"
        }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return components.string ?? "<unparsable URL>"
    }
}
