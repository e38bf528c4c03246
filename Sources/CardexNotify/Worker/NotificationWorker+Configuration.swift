import CardexCore

extension NotificationWorker {
    /// Retry, polling and batching of the outbox worker.
    public struct Configuration: Sendable, DocumentedDefaults {
        /// Delay before the first retry; retry `n` (after `n` failed attempts) waits
        /// `baseDelay * 2^(n-1)`. Must be positive.
        public var baseDelay: Duration
        /// Longest delay between two attempts.
        public var maxDelay: Duration
        /// Attempts in all, the first included, before a message is given up (never retried
        /// again). At least 1.
        public var maxAttempts: Int
        /// Fraction of each delay, from 0 to 1, removed at random so messages that failed
        /// together are not retried together. 0 makes retry times exact.
        public var jitter: Double
        /// Longest sleep between two looks at the outbox, a safety net for a missed ``wake()``
        /// (for example a message queued by another process).
        public var pollInterval: Duration
        /// Due messages read from the store at a time.
        public var batchSize: Int
        /// Deliveries in flight at once; 1 delivers in queue order.
        public var maxConcurrentDeliveries: Int
        /// How long a claimed message is this worker's alone: no other worker takes it
        /// before, and if this one records no outcome (it died), it is due again after. Longer
        /// than the notifier takes at most (the webhook's request timeout is 10 s). Must be
        /// positive.
        public var claimLease: Duration

        /// Creates a configuration from every value; start from ``defaults`` to change a few.
        public init(
            baseDelay: Duration, maxDelay: Duration, maxAttempts: Int, jitter: Double, pollInterval: Duration, batchSize: Int,
            maxConcurrentDeliveries: Int, claimLease: Duration
        ) {
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
            self.maxAttempts = maxAttempts
            self.jitter = jitter
            self.pollInterval = pollInterval
            self.batchSize = batchSize
            self.maxConcurrentDeliveries = maxConcurrentDeliveries
            self.claimLease = claimLease
        }

        /// Retries after 2 s, doubling per failed attempt up to 10 min, no jitter; gives up after
        /// 12 attempts (about 27 min after the first); checks the outbox at least every 30 s;
        /// reads 32 due messages at a time and delivers them one at a time; claims a message for
        /// 60 s.
        public static var defaults: Configuration {
            Configuration(
                baseDelay: .seconds(2), maxDelay: .seconds(600), maxAttempts: 12, jitter: 0, pollInterval: .seconds(30), batchSize: 32,
                maxConcurrentDeliveries: 1, claimLease: .seconds(60))
        }

        /// The delay before the next attempt of a message that has now failed
        /// `failedAttempts` times, or `nil` when it is given up (`failedAttempts >= maxAttempts`).
        ///
        /// Without jitter it is `min(baseDelay * 2^(failedAttempts - 1), maxDelay)`; with jitter
        /// a random part of up to `jitter` of it is removed.
        public func retryDelay(afterFailedAttempts failedAttempts: Int) -> Duration? {
            guard failedAttempts < maxAttempts else { return nil }
            let exponent = Double(max(failedAttempts - 1, 0))
            let uncapped = baseDelay.timeInterval * pow2(exponent)
            let delay: Duration =
                uncapped >= maxDelay.timeInterval ? maxDelay : .nanoseconds(Int64((uncapped * 1e9).rounded()))
            guard jitter > 0 else { return delay }
            return delay * (1 - Double.random(in: 0...min(jitter, 1)))
        }

        func validated() -> Configuration {
            precondition(baseDelay > .zero, "NotificationWorker: baseDelay must be positive")
            precondition(maxDelay >= baseDelay, "NotificationWorker: maxDelay must be at least baseDelay")
            precondition(maxAttempts >= 1, "NotificationWorker: maxAttempts must be at least 1")
            precondition((0...1).contains(jitter), "NotificationWorker: jitter must be within 0...1")
            precondition(pollInterval > .zero, "NotificationWorker: pollInterval must be positive")
            precondition(batchSize >= 1, "NotificationWorker: batchSize must be at least 1")
            precondition(maxConcurrentDeliveries >= 1, "NotificationWorker: maxConcurrentDeliveries must be at least 1")
            precondition(claimLease > .zero, "NotificationWorker: claimLease must be positive")
            return self
        }
    }
}

/// `2^exponent`, capped where it would stop being finite (the delay is capped anyway).
private func pow2(_ exponent: Double) -> Double {
    exponent >= 1000 ? .greatestFiniteMagnitude : Double(sign: .plus, exponent: Int(exponent), significand: 1)
}
