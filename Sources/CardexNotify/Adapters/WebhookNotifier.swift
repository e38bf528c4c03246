import AsyncHTTPClient
import CardexCore
import Foundation
import NIOCore

/// The production channel: POSTs each message as JSON to an HTTP endpoint, such as an SMS
/// gateway's webhook or a small relay in front of one.
///
/// The request body is one JSON object,
/// `{"body":"…","created_at":"2025-01-31T12:00:00Z","id":42,"kind":"verification_code","to":"+4915…"}`,
/// sent with `Content-Type: application/json`, `Idempotency-Key: <id>` (the same on every
/// retry of a message, so the receiver can drop duplicates) and the configured extra headers.
/// A 2xx answer means delivered; any other status, a connection failure or the request
/// timeout throws a ``WebhookError``. Redirects follow the HTTP client's configuration; a
/// refused connection is retried by AsyncHTTPClient until the request timeout.
///
/// Client lifetime: the notifier never creates or shuts down an `HTTPClient`. It uses the one
/// it is given — by default `HTTPClient.shared`, which needs no shutdown. A caller that passes
/// its own client shuts it down (`try await client.shutdown()`) after the worker using this
/// notifier has stopped.
public struct WebhookNotifier: Notifier {
    /// Where messages are POSTed.
    public let url: URL
    /// Timeout and extra headers.
    public let configuration: Configuration
    private let httpClient: HTTPClient

    /// Creates a notifier that POSTs to `url` through `httpClient` (not owned; see the type's
    /// notes on client lifetime).
    public init(url: URL, configuration: Configuration = .defaults, httpClient: HTTPClient = .shared) {
        self.url = url
        self.configuration = configuration
        self.httpClient = httpClient
    }

    /// POSTs `message` and returns once the receiver answered 2xx.
    ///
    /// - Throws: ``WebhookError`` when the answer is not 2xx, or no answer arrived within
    ///   ``Configuration/requestTimeout`` (connection refused, reset, timed out…).
    public func deliver(_ message: OutboxMessage) async throws {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: String(message.id))
        for (name, value) in configuration.headers.sorted(by: { $0.key < $1.key }) {
            request.headers.add(name: name, value: value)
        }
        request.body = .bytes(try NotificationPayload(message).jsonData())

        let status: Int
        do {
            let response = try await httpClient.execute(
                request, timeout: TimeAmount(configuration.requestTimeout))
            status = Int(response.status.code)
            // Read the answer to the end so the connection can be reused; its content is
            // ignored (a gateway may echo the message, and with it a code).
            for try await _ in response.body {}
        } catch {
            throw WebhookError(url: url, status: nil, underlying: error)
        }
        guard (200..<300).contains(status) else {
            throw WebhookError(url: url, status: status, underlying: nil)
        }
    }
}
