import CardexCore
import CardexPostgres
import CardexPostgresTestSupport
import Synchronization
import Testing

@Suite("PostgresInstanceSignals: NOTIFY and LISTEN between instances, on a real server")
struct PostgresInstanceSignalsTests {
    @Test("a signal sent through one pool reaches a listener on another, in order; listening reports possible misses first")
    func signalsCrossPools() async throws {
        try await TestPostgres.withFreshDatabase { configuration in
            try await TestPostgres.withPool(configuration) { sender in
                try await TestPostgres.withPool(configuration) { receiver in
                    let (heard, listening) = try await listen(on: receiver, as: "receiver")
                    defer { listening.cancel() }
                    let signals: [InstanceSignal] = [.sessionRevoked("s-1"), .accountDeleted(UserID(rawValue: "u-1")), .sessionRevoked("s-2")]
                    for signal in signals { try await PostgresInstanceSignals(pool: sender, instance: "sender").send(signal) }
                    try await waitUntil { heard.signals.withLock { $0.count } == signals.count }
                    #expect(heard.signals.withLock { $0 } == signals)
                    // Unknown texts on the channel (a newer version's) are ignored.
                    try await sender.withConnection {
                        try await $0.query("SELECT pg_notify(\(PostgresInstanceSignals.channel), 'future:x')", logger: TestPostgres.logger)
                    }
                    try await PostgresInstanceSignals(pool: sender, instance: "sender").send(.sessionRevoked("s-3"))
                    try await waitUntil { heard.signals.withLock { $0.count } == signals.count + 1 }
                    #expect(heard.signals.withLock { $0.last } == .sessionRevoked("s-3"))
                    listening.cancel()
                    await listening.value
                }
            }
        }
    }

    @Test("a write that appends events announces each person's newest number when it commits, and nothing when it rolls back")
    func storedEventsAreAnnouncedOnCommit() async throws {
        try await TestPostgres.withFreshDatabase { configuration in
            try await TestPostgres.withPool(configuration) { pool in
                let store = try await PostgresStore(pool: pool, instance: "writer")
                let (heard, listening) = try await listen(on: pool, as: "reader")
                defer { listening.cancel() }
                // Listening for sure: a signal sent now arrives.
                let probe = InstanceSignal.sessionRevoked("probe")
                try await waitUntil(trying: { try await PostgresInstanceSignals(pool: pool, instance: "writer").send(probe) }) {
                    heard.signals.withLock { $0.contains(probe) }
                }
                heard.signals.withLock { $0.removeAll() }
                let accounts = (1...2).map {
                    Account(userID: .random(), phone: PhoneNumber(e164: "+155500170\($0)0"), createdAt: .now, settings: AccountSettings())
                }
                let (ada, bob) = (accounts[0].userID, accounts[1].userID)
                try await store.write { transaction in
                    for account in accounts { try await transaction.insertAccount(account) }
                }
                struct RolledBack: Error {}
                await #expect(throws: RolledBack.self) {
                    try await store.write { transaction in
                        _ = try await transaction.appendEvents([NewEvent(.sharesWaiting(count: 1), to: ada)], at: .now)
                        throw RolledBack()
                    }
                }
                try await store.write { transaction in
                    _ = try await transaction.appendEvents(
                        [
                            NewEvent(.sharesWaiting(count: 1), to: ada), NewEvent(.sharesWaiting(count: 2), to: bob),
                            NewEvent(.sharesWaiting(count: 3), to: ada),
                        ],
                        at: .now)
                }
                try await waitUntil { heard.signals.withLock { $0.count } >= 2 }
                try await Task.sleep(for: .milliseconds(100))  // room for a signal that should not come
                #expect(
                    Set(heard.signals.withLock { $0 })
                        == [.eventsStored(ada, through: 2, origin: "writer"), .eventsStored(bob, through: 1, origin: "writer")])
                listening.cancel()
                await listening.value
            }
        }
    }

    @Test("payloads round-trip, and unknown ones are no signal")
    func payloads() {
        let signals = [
            InstanceSignal.sessionRevoked("abc"), .accountDeleted(UserID(rawValue: "0f8e")),
            .eventsStored(UserID(rawValue: "a:b"), through: 42, origin: "3f2c"),
        ]
        for signal in signals { #expect(InstanceSignal(payload: signal.payload) == signal) }
        for text in ["future:x", "events:x:y:z", "events::1:u", "events:o:1:", "events:o:1"] { #expect(InstanceSignal(payload: text) == nil) }
    }

    /// What a listener heard: the signals, and how often it said it may have missed some.
    private final class Heard: Sendable {
        let signals = Mutex<[InstanceSignal]>([])
        let misses = Mutex(0)
    }

    /// Listens on `pool` as `instance` until the task is cancelled; returns once listening
    /// reported that it may have missed signals (it starts listening), exactly once.
    private func listen(on pool: PostgresConnectionPool, as instance: String) async throws -> (Heard, Task<Void, Never>) {
        let heard = Heard()
        let task = Task {
            await PostgresInstanceSignals(pool: pool, instance: instance).listen(
                receive: { signal in heard.signals.withLock { $0.append(signal) } },
                missed: { heard.misses.withLock { $0 += 1 } })
        }
        try await waitUntil { heard.misses.withLock { $0 } == 1 }
        return (heard, task)
    }

    /// Waits up to 30 s for `condition` (a loaded machine may take seconds to open the
    /// listening connection: TLS and SCRAM).
    private func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw Timeout() }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Runs `attempt` every 200 ms until `condition` holds, for 30 s at most.
    private func waitUntil(trying attempt: () async throws -> Void, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw Timeout() }
            try await attempt()
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    private struct Timeout: Error {}
}
