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
                    let received = Mutex<[InstanceSignal]>([])
                    let misses = Mutex(0)
                    let listening = Task {
                        await PostgresInstanceSignals(pool: receiver).listen(
                            receive: { signal in received.withLock { $0.append(signal) } },
                            missed: { misses.withLock { $0 += 1 } })
                    }
                    defer { listening.cancel() }
                    try await waitUntil { misses.withLock { $0 } == 1 }
                    let signals: [InstanceSignal] = [.sessionRevoked("s-1"), .accountDeleted(UserID(rawValue: "u-1")), .sessionRevoked("s-2")]
                    for signal in signals { try await PostgresInstanceSignals(pool: sender).send(signal) }
                    try await waitUntil { received.withLock { $0.count } == signals.count }
                    #expect(received.withLock { $0 } == signals)
                    // Unknown texts on the channel (a newer version's) are ignored.
                    try await sender.withConnection {
                        try await $0.query("SELECT pg_notify(\(PostgresInstanceSignals.channel), 'future:x')", logger: TestPostgres.logger)
                    }
                    try await PostgresInstanceSignals(pool: sender).send(.sessionRevoked("s-3"))
                    try await waitUntil { received.withLock { $0.count } == signals.count + 1 }
                    #expect(received.withLock { $0.last } == .sessionRevoked("s-3"))
                    listening.cancel()
                    await listening.value
                }
            }
        }
    }

    @Test("payloads round-trip, and unknown ones are no signal")
    func payloads() {
        for signal in [InstanceSignal.sessionRevoked("abc"), .accountDeleted(UserID(rawValue: "0f8e"))] {
            #expect(InstanceSignal(payload: signal.payload) == signal)
        }
        #expect(InstanceSignal(payload: "future:x") == nil)
    }

    /// Waits up to 5 s for `condition`.
    private func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw Timeout() }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    private struct Timeout: Error {}
}
