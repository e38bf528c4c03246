import CardexCore
import CardexNotify
import CardexTestSupport
import Foundation
import ServiceLifecycleTestKit
import Testing

@Suite("NotificationWorker as a service", .timeLimit(.minutes(1)))
struct NotificationWorkerServiceTests {
    /// How long a test waits for what the worker does at once or at a message's due time. Each
    /// worker here polls once an hour, so anything sooner is the behaviour under test; a minute
    /// allows for the stalls of every suite running at once on two cores (5 s was outlasted).
    static let patience: Duration = .seconds(50)

    @Test("wake() makes a sleeping worker deliver at once; cancellation ends run()")
    func wakeDeliversPromptly() async throws {
        let clock = ManualClock(Fixtures.created)
        let store = FakeOutboxStore()
        let notifier = ScriptedNotifier()
        // An hour-long poll interval: only wake() can explain a prompt delivery.
        let worker = NotificationWorker(
            store: store, notifier: notifier, sealer: Fixtures.sealer, clock: clock,
            configuration: .with { $0.pollInterval = .seconds(3600) }, logger: quietLogger)

        let running = Task { try await worker.run() }
        try await eventually(within: Self.patience, "the worker's first look at the empty outbox") { await store.dueQueries >= 1 }

        let id = await store.queue(at: clock.now())
        worker.wake()
        try await eventually(within: Self.patience, "delivery after wake()") { await store.deliveredIDs == [id] }

        running.cancel()
        try await running.value
        #expect(notifier.calls == [id])
    }

    @Test("a message due later is delivered when its time comes, without a wake()")
    func sleepsUntilNextAttempt() async throws {
        let clock = SystemClock()
        let store = FakeOutboxStore()
        let notifier = ScriptedNotifier()
        let id = await store.queue(at: clock.now().addingTimeInterval(0.2))
        let worker = NotificationWorker(
            store: store, notifier: notifier, sealer: Fixtures.sealer, clock: clock,
            configuration: .with { $0.pollInterval = .seconds(3600) }, logger: quietLogger)

        let running = Task { try await worker.run() }
        try await eventually(within: Self.patience, "delivery at the message's due time") { await store.deliveredIDs == [id] }
        running.cancel()
        try await running.value
    }

    @Test("a message that falls due between the look's query and its sleep is delivered at once")
    func dueDuringLook() async throws {
        // Every read of this clock is half a second on from the one before, so the message
        // (due 0.3 s after the first read) is not due at the look's query and is past due
        // when the worker works out how long to sleep.
        let clock = SteppingClock(start: Fixtures.created, step: 0.5)
        let store = FakeOutboxStore()
        let id = await store.queue(at: clock.start.addingTimeInterval(0.3))
        let worker = NotificationWorker(
            store: store, notifier: ScriptedNotifier(), sealer: Fixtures.sealer, clock: clock,
            configuration: .with { $0.pollInterval = .seconds(3600) }, logger: quietLogger)

        let running = Task { try await worker.run() }
        try await eventually(within: Self.patience, "delivery without waiting for the poll interval") { await store.deliveredIDs == [id] }
        running.cancel()
        try await running.value
    }

    @Test("graceful shutdown lets the delivery in flight finish and record, and starts no other")
    func gracefulShutdownFinishesInFlight() async throws {
        let clock = ManualClock(Fixtures.created)
        let store = FakeOutboxStore()
        let first = await store.queue(at: clock.now())
        await store.queue(at: clock.now())
        let notifier = GatedNotifier()
        let worker = NotificationWorker(store: store, notifier: notifier, sealer: Fixtures.sealer, clock: clock, logger: quietLogger)

        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await worker.run() }
                do {
                    try await eventually(within: Self.patience, "the first delivery to start") { notifier.started == [first] }
                } catch {
                    // Let the worker end, or this group would wait for it forever.
                    trigger.triggerGracefulShutdown()
                    notifier.open()
                    throw error
                }

                trigger.triggerGracefulShutdown()
                notifier.open()
                try await group.waitForAll()
            }
        }

        #expect(notifier.started == [first])
        #expect(await store.deliveredIDs == [first])
        #expect(await store.failures.isEmpty)
    }
}
