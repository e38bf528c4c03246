/// How often, and after what pause, a transaction that met a conflict is run again
/// (``PostgresConnectionPool/withRetryingTransaction(_:retry:clock:_:)``). Each value is
/// written once, in ``defaults``.
public struct PostgresRetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included; at least 1.
    public var maxAttempts: Int
    /// The longest pause before the second attempt; it doubles for each further one.
    public var baseDelay: Duration
    /// The longest pause before any attempt.
    public var maxDelay: Duration

    /// Creates a policy.
    ///
    /// - Precondition: `maxAttempts` ≥ 1, delays not negative.
    public init(maxAttempts: Int, baseDelay: Duration, maxDelay: Duration) {
        precondition(maxAttempts >= 1, "maxAttempts \(maxAttempts): at least 1")
        precondition(baseDelay >= .zero && maxDelay >= .zero, "retry delays must not be negative")
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// 5 attempts in all; before attempt n + 1, a random pause of up to 5 ms × 2^(n − 1), never
    /// more than 100 ms (so that two transactions that met once do not meet again in step).
    public static var defaults: PostgresRetryPolicy { PostgresRetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(5), maxDelay: .milliseconds(100)) }

    /// A random pause before attempt `attempt` (2 or more), within the limits above.
    func pause(before attempt: Int) -> Duration {
        let doublings = min(attempt - 2, 30)
        let ceiling = min(baseDelay * (1 << doublings), maxDelay)
        return ceiling * Double.random(in: 0...1)
    }
}
