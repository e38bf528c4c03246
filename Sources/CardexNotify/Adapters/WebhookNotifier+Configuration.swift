extension WebhookNotifier {
    /// Timeout and headers of the webhook requests.
    ///
    /// ``defaults``: a request timeout of 10 s (connect, send and the whole answer), no extra
    /// headers.
    public struct Configuration: Sendable {
        /// Time one request may take, from connecting to the end of the answer. Default 10 s.
        public var requestTimeout: Duration
        /// Headers added to every request, such as `Authorization` for the gateway. They must
        /// not repeat `Content-Type` or `Idempotency-Key`. Default none.
        public var headers: [String: String]

        /// Creates a configuration; every argument defaults to the value in ``defaults``.
        public init(requestTimeout: Duration = .seconds(10), headers: [String: String] = [:]) {
            self.requestTimeout = requestTimeout
            self.headers = headers
        }

        /// 10 s request timeout, no extra headers.
        public static var defaults: Configuration { Configuration() }
    }
}
