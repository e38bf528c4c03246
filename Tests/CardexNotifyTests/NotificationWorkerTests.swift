import CardexCore
import CardexNotify
import CardexTestSupport
import Foundation
import FramedRPCTestSupport
import Logging
import Testing

@Suite("NotificationWorker: delivery, retries and backoff")
struct NotificationWorkerTests {
    @Test("a webhook failing twice with 503 is retried on the backoff schedule and delivered once")
    func retriesUntilDelivered() async throws {
        let receiver = try await HTTPReceiver(statuses: [503, 503, 200])
        let clock = ManualClock(Fixtures.created)
        let store = FakeOutboxStore()
        let t0 = clock.now()
        let id = await store.queue(at: t0)
        let (logger, logs) = RecordingLogHandler.logger()
        // Long enough for a loaded run (the whole suite at once has stalled a process for seconds).
        let notifier = WebhookNotifier(url: receiver.url, configuration: .with { $0.requestTimeout = .seconds(30) })
        let worker = NotificationWorker(
            store: store, notifier: notifier, sealer: Fixtures.sealer, clock: clock,
            configuration: .defaults, logger: logger)

        #expect(try await worker.drainOnce() == 0)  // 503: retry at t0 + 2 s
        clock.advance(by: 1)
        #expect(try await worker.drainOnce() == 0)  // not due yet: no request
        #expect(receiver.requests.count == 1)
        clock.advance(by: 1)
        #expect(try await worker.drainOnce() == 0)  // 503 again: retry at t0 + 2 s + 4 s
        clock.advance(by: 3)
        #expect(try await worker.drainOnce() == 0)  // not due yet
        clock.advance(by: 1)
        #expect(try await worker.drainOnce() == 1)  // 200
        #expect(try await worker.drainOnce() == 0)  // nothing left
        try await receiver.stop()

        let failures = await store.failures
        #expect(failures.map(\.id) == [id, id])
        #expect(failures.map(\.retryAt) == [t0 + 2, t0 + 6])
        #expect(failures.allSatisfy { $0.error.contains("HTTP 503") && $0.error.contains(receiver.url.absoluteString) })
        #expect(await store.deliveredIDs == [id])
        #expect(await store.deliveredAt(id) == t0 + 6)
        #expect(await store.message(id)?.attempts == 2)
        #expect(await store.nextAttemptDate() == nil)

        let requests = receiver.requests
        #expect(requests.count == 3)
        #expect(requests.allSatisfy { $0.headers["Idempotency-Key"] == ["\(id)"] })

        let failureLines = logs.lines.filter { $0.level >= .warning }
        #expect(failureLines.count == 2, "one line per failed delivery")
        #expect(failureLines.allSatisfy { $0.metadata["outbox.id"] == "\(id)" && $0.metadata["error"] != nil })
        #expect(
            !logs.lines.contains { $0.text.contains("123456") || $0.text.contains("+4915123456789") },
            "neither the body nor the recipient is logged")
    }

    @Test("after maxAttempts failures the message is given up: no retry time, no more attempts")
    func givesUpAfterMaxAttempts() async throws {
        let clock = ManualClock(Fixtures.created)
        let store = FakeOutboxStore()
        let t0 = clock.now()
        let id = await store.queue(at: t0)
        let notifier = ScriptedNotifier(failing: true)
        let (logger, logs) = RecordingLogHandler.logger()
        let worker = NotificationWorker(
            store: store, notifier: notifier, sealer: Fixtures.sealer, clock: clock,
            configuration: .with {
                $0.baseDelay = .seconds(1)
                $0.maxDelay = .seconds(3)
                $0.maxAttempts = 4
            }, logger: logger)

        for _ in 1...4 {
            #expect(try await worker.drainOnce() == 0)
            let retryAt = await store.failures.last?.retryAt
            clock.advance(by: retryAt.map { $0.timeIntervalSince(clock.now()) } ?? 3600)
        }
        #expect(try await worker.drainOnce() == 0)

        // Delays 1 s, 2 s, then 4 s capped at 3 s; the fourth failure gives up.
        #expect(await store.failures.map(\.retryAt) == [t0 + 1, t0 + 3, t0 + 6, nil])
        #expect(notifier.calls == [id, id, id, id])
        #expect(await store.isGivenUp(id))
        #expect(await store.nextAttemptDate() == nil)
        #expect(await store.message(id)?.attempts == 4)
        #expect(logs.lines.last?.level == .error)
        #expect(logs.lines.last?.message.contains("giving up") == true)
    }

    @Test(
        "the default backoff doubles from 2 s and stops at 10 min; the 12th failure gives up",
        arguments: [(1, 2), (2, 4), (3, 8), (4, 16), (9, 512), (10, 600), (11, 600), (12, nil), (50, nil)] as [(Int, Int?)])
    func defaultBackoff(failedAttempts: Int, expectedSeconds: Int?) {
        let delay = NotificationWorker.Configuration.defaults.retryDelay(afterFailedAttempts: failedAttempts)
        #expect(delay == expectedSeconds.map { .seconds($0) })
    }

    @Test("a huge attempt count stays capped at maxDelay")
    func backoffDoesNotOverflow() {
        let configuration = NotificationWorker.Configuration.with { $0.maxAttempts = .max }
        #expect(configuration.retryDelay(afterFailedAttempts: 5000) == .seconds(600))
    }

    @Test("jitter only shortens a delay, by at most its fraction")
    func jitterStaysInRange() {
        let configuration = NotificationWorker.Configuration.with { $0.jitter = 0.5 }
        for failedAttempts in 1...11 {
            let full = NotificationWorker.Configuration.defaults.retryDelay(afterFailedAttempts: failedAttempts)!
            for _ in 0..<50 {
                let delay = configuration.retryDelay(afterFailedAttempts: failedAttempts)!
                #expect(delay <= full && delay >= full / 2)
            }
        }
    }

    @Test("by default messages are delivered one at a time, oldest first, across batches")
    func sequentialInOrder() async throws {
        let clock = ManualClock(Fixtures.created)
        let store = FakeOutboxStore()
        for _ in 1...7 { await store.queue(at: clock.now()) }
        let notifier = ScriptedNotifier()
        let worker = NotificationWorker(
            store: store, notifier: notifier, sealer: Fixtures.sealer, clock: clock, configuration: .with { $0.batchSize = 3 }, logger: quietLogger)

        #expect(try await worker.drainOnce() == 7)
        #expect(notifier.calls == Array(1...7))
        #expect(notifier.peakInFlight == 1)
        #expect(await store.deliveredIDs == Array(1...7))
    }

    @Test("with maxConcurrentDeliveries every message is delivered and no more are in flight at once")
    func boundedConcurrency() async throws {
        let clock = ManualClock(Fixtures.created)
        let store = FakeOutboxStore()
        for _ in 1...20 { await store.queue(at: clock.now()) }
        let notifier = ScriptedNotifier()
        let worker = NotificationWorker(
            store: store, notifier: notifier, sealer: Fixtures.sealer, clock: clock,
            configuration: .with {
                $0.batchSize = 8
                $0.maxConcurrentDeliveries = 3
            }, logger: quietLogger)

        #expect(try await worker.drainOnce() == 20)
        #expect(Set(notifier.calls) == Set(1...20))
        #expect(notifier.calls.count == 20)
        #expect(notifier.peakInFlight <= 3)
        #expect(await store.deliveredIDs.count == 20)
    }

    @Test("two workers on one outbox deliver each message once; a dead worker's claim lapses and another delivers it")
    func workersShareTheOutbox() async throws {
        let clock = ManualClock(Fixtures.created)
        let store = FakeOutboxStore()
        let t0 = clock.now()
        var ids: [Int64] = []
        for index in 0..<40 { ids.append(await store.queue(body: "message \(index)", at: t0)) }
        let notifier = GatedNotifier()
        let configuration = NotificationWorker.Configuration.with {
            $0.batchSize = 8
            $0.claimLease = .seconds(60)
        }
        let workers = (0..<2).map { _ in
            NotificationWorker(
                store: store, notifier: notifier, sealer: Fixtures.sealer, clock: clock, configuration: configuration, logger: quietLogger)
        }
        let delivered = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in workers { group.addTask { try await worker.drainOnce() } }
            // Both read the same due batch; each holds its first delivery until the gate opens.
            // The gate opens whatever happens, so that a failed wait cannot leave the workers (and
            // this group, which waits for them) hanging.
            var waitFailure: (any Error)?
            do {
                try await eventually(within: .seconds(30), "both workers delivering") { notifier.started.count == 2 }
            } catch {
                waitFailure = error
            }
            #expect(Set(notifier.started).count == 2, "the second worker did not take the message the first claimed")
            notifier.open()
            if let waitFailure { throw waitFailure }
            return try await group.reduce(0, +)
        }
        #expect(delivered == 40)
        #expect(notifier.started.sorted() == ids, "each message handed to the notifier once")
        #expect(await store.deliveredIDs.sorted() == ids)

        // A worker claimed this one and died before recording anything.
        let orphan = await store.queue(body: "orphan", at: clock.now())
        #expect(await store.claim(orphan, at: clock.now(), until: clock.now() + 60))
        #expect(try await workers[0].drainOnce() == 0, "claimed by another: not delivered")
        clock.advance(by: 60)
        #expect(try await workers[0].drainOnce() == 1)
        #expect(notifier.started.filter { $0 == orphan }.count == 1)
    }
}

/// A logger that drops everything, for tests that do not read logs.
let quietLogger = Logger(label: "cardex.notify.test") { _ in SwiftLogNoOpLogHandler() }
