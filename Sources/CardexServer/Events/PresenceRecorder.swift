import CardexCore
import Logging
import Synchronization

/// Keeps in the shared database which people have a device online on this instance
/// (``PresenceRecording``), so that the delivery decisions of the other instances see them, and
/// keeps this instance alive there: every third of ``expiry`` it extends its time, so that once
/// it dies the others stop counting its devices within ``expiry``.
///
/// The hub tells it of each person whose first stream opened or last one closed; it writes
/// what the hub holds at the time of writing (not the change), in batches, so writes that race
/// cannot leave a closed stream counted. A stream waits for its person to be written
/// (``settled()``) before it reports ready; a write that fails is tried again with the next
/// keep-alive, and does not hold the stream.
final class PresenceRecorder: Sendable {
    /// How long the others count this instance alive after its last keep-alive.
    let expiry: Duration
    private let store: any PresenceRecording
    private let hub: EventHub
    private let logger: Logger

    private struct State {
        /// People whose presence changed since the last write.
        var changed: Set<UserID> = []
        /// Who waits for the next write to end.
        var waiting: [CheckedContinuation<Void, Never>] = []
        /// When the instance was last kept alive; `nil` before the first time and after a failure.
        var keptAliveAt: ContinuousClock.Instant?
        /// Whether ``run()`` has ended: nothing is written any more, and nobody waits.
        var stopped = false
    }

    private let state = Mutex(State())
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(store: any PresenceRecording, hub: EventHub, expiry: Duration, logger: Logger) {
        self.store = store
        self.hub = hub
        self.expiry = expiry
        self.logger = logger
        (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        hub.observePresence { [weak self] user in self?.changed(user) }
    }

    /// `user`'s first stream opened or last one closed here.
    func changed(_ user: UserID) {
        state.withLock { _ = $0.changed.insert(user) }
        wake.yield()
    }

    /// Returns once what changed before the call has been written (or the write failed).
    func settled() async {
        await withCheckedContinuation { continuation in
            let stopped = state.withLock { state in
                if !state.stopped { state.waiting.append(continuation) }
                return state.stopped
            }
            if stopped { continuation.resume() } else { wake.yield() }
        }
    }

    /// Writes until the task is cancelled, then removes this instance from the database.
    func run() async {
        let beat = Task { [wake, expiry] in
            while !Task.isCancelled {
                wake.yield()
                try? await Task.sleep(for: expiry / 3)
            }
        }
        for await _ in wakeUps { await write() }
        beat.cancel()
        let waiting = state.withLock { state in
            state.stopped = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
        // In a task of its own: this one is cancelled.
        await Task { [store, logger] in
            do { try await store.removeInstance() } catch {
                logger.warning(
                    "could not remove this instance's devices from the database; the others stop counting them when its time runs out",
                    metadata: ["error": "\(error)"])
            }
        }.value
    }

    /// Keeps the instance alive when it is time, then writes the people who changed.
    private func write() async {
        let now = ContinuousClock.now
        let (changed, waiting, keepAlive) = state.withLock { state in
            defer { (state.changed, state.waiting) = ([], []) }
            let due = state.keptAliveAt.map { now - $0 >= expiry / 3 } ?? true
            return (state.changed, state.waiting, due)
        }
        defer { for continuation in waiting { continuation.resume() } }
        var people = changed
        do {
            if keepAlive {
                if try await store.keepInstanceAlive(for: expiry) { people.formUnion(hub.onlineUsers) }
                state.withLock { $0.keptAliveAt = now }
            }
            let online = people.filter { hub.isOnline($0) }
            try await store.recordPresence(online: Array(online), offline: Array(people.subtracting(online)))
        } catch {
            logger.warning(
                "could not record which people have a device online here; trying again", metadata: ["error": "\(error)", "in": "\(expiry / 3)"])
            state.withLock { state in
                state.changed.formUnion(people)
                state.keptAliveAt = nil
            }
        }
    }
}
