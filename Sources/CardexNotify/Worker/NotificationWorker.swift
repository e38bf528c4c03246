import CardexCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Delivers the notification outbox: takes due messages from an ``OutboxStore``, hands each to
/// a ``Notifier``, and records the outcome, retrying failures with exponential backoff.
///
/// As a `Service`, ``run()`` looks at the outbox, sleeps until the next retry time, the next
/// ``wake()`` or the poll interval (whichever comes first), and repeats until its task is
/// cancelled or a graceful shutdown begins. On graceful shutdown deliveries in flight finish
/// and are recorded, and no new one starts; on cancellation deliveries in flight are cancelled
/// and are due again when their claim lapses, with no attempt counted.
///
/// Guarantees:
/// - A message is delivered only after ``OutboxStore/claim(_:at:until:)`` gave it to this
///   worker, for ``Configuration/claimLease``: workers of several instances on one database
///   share the outbox and deliver each message once. A message whose worker stopped without
///   recording an outcome (a crash, or a cancelled delivery) is due again when the claim lapses.
/// - A message is marked delivered only after the notifier returned; a failure is recorded
///   with `retryAt = now + min(baseDelay * 2^attempts, maxDelay)` (``Configuration``), or
///   `retryAt: nil` once ``Configuration/maxAttempts`` attempts have failed. Delivery is at
///   least once: a crash between delivery and record repeats it.
/// - At most ``Configuration/maxConcurrentDeliveries`` deliveries are in flight.
/// - One log line per failed delivery, with the message id, attempt and error; bodies and
///   recipients are never logged.
/// - Bodies are stored sealed (``MessageSealer``); the notifier gets them opened, in plain
///   text. A sealed body that does not open is given up at once and never delivered; a plain
///   body, queued before sealing existed, is delivered as it is.
///
/// "Now" comes from the ``WallClock``; only the sleep between looks uses real time, so tests
/// drive ``drainOnce()`` with a manual clock and never sleep. ``run()`` may be called once.
public final class NotificationWorker: Service, Sendable {
    /// Retry, polling and batching settings.
    public let configuration: Configuration
    let store: any OutboxStore
    private let notifier: any Notifier
    let sealer: MessageSealer
    private let clock: any WallClock
    let logger: Logger
    private let metrics: Metrics
    private let wakeups: AsyncStream<Void>
    private let wakeupContinuation: AsyncStream<Void>.Continuation
    private let isStopping = Atomic<Bool>(false)

    /// Creates a worker delivering `store`'s messages through `notifier`, opening their bodies
    /// with `sealer` (made from the secret that sealed them).
    ///
    /// - Precondition: `configuration` is valid (positive delays and intervals, `maxDelay`
    ///   at least `baseDelay`, `jitter` within 0...1, counts at least 1).
    public init(
        store: any OutboxStore,
        notifier: any Notifier,
        sealer: MessageSealer,
        clock: any WallClock = SystemClock(),
        configuration: Configuration = .defaults,
        logger: Logger = Logger(label: "cardex.notify"),
        metrics: Metrics = .disabled
    ) {
        self.metrics = metrics
        self.store = store
        self.notifier = notifier
        self.sealer = sealer
        self.clock = clock
        self.configuration = configuration.validated()
        self.logger = logger
        // One pending wake-up is enough: a look at the outbox sees everything queued before it.
        (wakeups, wakeupContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks a running worker to look at the outbox now, for example right after a message was
    /// queued. Returns at once; wake-ups that arrive during a look are merged into one more look.
    /// Safe to call from any thread, also when the worker is not running.
    public func wake() {
        wakeupContinuation.yield()
    }

    /// Runs until the task is cancelled or a graceful shutdown begins (see the type's notes).
    /// Store errors are logged and retried after ``Configuration/pollInterval``; they do not end
    /// the service. Never throws.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await self.runLoop()
        } onGracefulShutdown: {
            self.isStopping.store(true, ordering: .relaxed)
            self.wakeupContinuation.finish()
        }
    }

    /// Delivers every message due now, in batches of ``Configuration/batchSize``, each message
    /// at most once per call, and returns how many were delivered. Failed deliveries are
    /// recorded for retry and do not throw.
    ///
    /// - Throws: the store's errors; the message at hand then stays due for a later look.
    public func drainOnce() async throws -> Int {
        try await drain().delivered
    }

    private var shouldStop: Bool {
        Task.isCancelled || isStopping.load(ordering: .relaxed)
    }

    private func runLoop() async {
        var wakeups = self.wakeups.makeAsyncIterator()
        // The sleep is an unstructured task feeding the same stream as wake(), so whichever
        // comes first starts the next look; it is cancelled before the next sleep is set.
        var timer: Task<Void, Never>?
        defer { timer?.cancel() }
        repeat {
            timer?.cancel()
            if shouldStop { break }
            let delay = await look()
            timer = Task { [wakeupContinuation] in
                do {
                    try await Task.sleep(for: delay)
                    wakeupContinuation.yield()
                } catch {}  // Cancelled: a wake-up or the end of run() came first.
            }
        } while await wakeups.next() != nil
    }

    /// Delivers what is due, then returns how long to sleep before the next look.
    private func look() async -> Duration {
        do {
            let drained = try await drain()
            let next = try await store.nextAttemptDate()
            return sleepDuration(until: next, lookedAt: drained.lookedAt, attemptedAny: drained.attempted > 0)
        } catch {
            if shouldStop { return .zero }
            logger.error(
                "notification outbox store failed; looking again after the poll interval",
                metadata: ["error": "\(error)", "retry_in": "\(configuration.pollInterval)"])
            return configuration.pollInterval
        }
    }

    /// `lookedAt` is the time of the look's last query for due messages.
    private func sleepDuration(until next: Date?, lookedAt: Date, attemptedAny: Bool) -> Duration {
        guard let next else { return configuration.pollInterval }
        if next <= lookedAt && !attemptedAny {
            // The look found nothing due at a time the store calls due: looking again at once
            // would make the loop spin, so wait for a wake-up or the poll interval.
            return configuration.pollInterval
        }
        let wait = next.timeIntervalSince(clock.now())
        // Due already (it may have fallen due since the look's query): look again at once.
        if wait <= 0 { return .zero }
        let capped = min(wait, configuration.pollInterval.timeInterval)
        return .nanoseconds(Int64((capped * 1e9).rounded(.up)))
    }

    private func drain() async throws -> (delivered: Int, attempted: Int, lookedAt: Date) {
        var seen = Set<Int64>()
        var delivered = 0
        var lookedAt = clock.now()
        while !shouldStop {
            let batch = try await store.dueMessages(at: lookedAt, limit: configuration.batchSize)
            // A message already tried in this drain (its record failed, or it is due again at
            // once) waits for the next look, so a drain always ends.
            let fresh = batch.filter { seen.insert($0.id).inserted }
            if fresh.isEmpty { break }
            delivered += try await deliver(fresh)
            if batch.count < configuration.batchSize { break }
            lookedAt = clock.now()
        }
        return (delivered, seen.count, lookedAt)
    }

    /// Delivers `batch` in order with at most `maxConcurrentDeliveries` in flight.
    private func deliver(_ batch: [OutboxMessage]) async throws -> Int {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            var delivered = 0
            var running = 0
            for message in batch {
                if running == configuration.maxConcurrentDeliveries {
                    if try await group.next() == true { delivered += 1 }
                    running -= 1
                }
                if shouldStop { break }
                group.addTask { try await self.process(message) }
                running += 1
            }
            while let wasDelivered = try await group.next() {
                if wasDelivered { delivered += 1 }
            }
            return delivered
        }
    }

    /// Claims one message, delivers it and records the outcome; returns whether it was delivered.
    private func process(_ message: OutboxMessage) async throws -> Bool {
        let now = clock.now()
        // Another worker took it since the read, or it is in flight here already.
        guard try await store.claim(message.id, at: now, until: now.addingTimeInterval(configuration.claimLease.timeInterval)) else {
            return false
        }
        guard let readable = try await opened(message) else { return false }
        do {
            try await notifier.deliver(readable)
        } catch {
            // Cancelled mid-delivery: leave it due, uncounted, for the next run.
            if Task.isCancelled { return false }
            metrics.failed.increment()
            try await recordFailure(of: message, error: error)
            return false
        }
        metrics.delivered.increment()
        try await store.markDelivered(message.id, at: clock.now())
        logger.debug("notification delivered", metadata: ["outbox.id": "\(message.id)"])
        return true
    }

    private func recordFailure(of message: OutboxMessage, error: any Error) async throws {
        let attempt = message.attempts + 1
        let retryAt = configuration.retryDelay(afterFailedAttempts: attempt).map {
            clock.now().addingTimeInterval($0.timeInterval)
        }
        var metadata: Logger.Metadata = [
            "outbox.id": "\(message.id)",
            "outbox.attempt": "\(attempt)",
            "error": "\(error)",
        ]
        if let retryAt {
            metadata["outbox.retry_at"] = "\(retryAt.ISO8601Format())"
            logger.warning("notification delivery failed; will retry", metadata: metadata)
        } else {
            logger.error("notification delivery failed; giving up after \(attempt) attempts", metadata: metadata)
        }
        try await store.markFailed(message.id, error: "\(error)", retryAt: retryAt)
    }
}
