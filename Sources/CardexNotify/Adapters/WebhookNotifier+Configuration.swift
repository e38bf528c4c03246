import CardexCore

extension WebhookNotifier {
    /// Timeout and headers of the webhook requests.
    public struct Configuration: Sendable, DocumentedDefaults {
        /// Time one request may take, from connecting to the end of the answer.
        public var requestTimeout: Duration
        /// Headers added to every request, such as `Authorization` for the gateway. They must
        /// not repeat `Content-Type` or `Idempotency-Key`.
        public var headers: [String: String]

        /// Creates a configuration from every value; start from ``defaults`` to change a few.
        public init(requestTimeout: Duration, headers: [String: String]) {
            self.requestTimeout = requestTimeout
            self.headers = headers
        }

        /// A request timeout of 10 s (connect, send and the whole answer), no extra headers.
        public static var defaults: Configuration { Configuration(requestTimeout: .seconds(10), headers: [:]) }

    }
}
