import CardexClient
import CardexProto
import FramedRPC
import Synchronization

/// The readers' open event streams: counts ready streams and arrivals of each card version.
final class Watchers: Sendable {
    private struct State {
        var ready = 0
        var arrivals: [UInt64: Int] = [:]
        var failure: (any Error)?
    }

    private let state = Mutex(State())
    private let tasks = Mutex<[Task<Void, Never>]>([])

    func watch(_ client: CardexClient) {
        let task = Task {
            do {
                try await client.events.subscribe(.init()) { stream in
                    for try await message in stream {
                        switch message.message {
                        case .ready: state.withLock { $0.ready += 1 }
                        case .event(let event) where event.cardUpdated.version.version > 0:
                            state.withLock { $0.arrivals[event.cardUpdated.version.version, default: 0] += 1 }
                        default: break
                        }
                    }
                }
            } catch is CancellationError {
            } catch let error as RPCError where error.code == .cancelled {
            } catch {
                state.withLock { $0.failure = error }
            }
        }
        tasks.withLock { $0.append(task) }
    }

    func waitUntilReady(_ count: Int, timeout: Duration) async throws {
        try await poll(timeout, "\(count) streams to be ready") { $0.ready >= count }
    }

    /// A wait for every stream to receive `version`.
    func expect(version: UInt64) -> Arrival {
        let expected = tasks.withLock { $0.count }
        return Arrival { timeout in
            try await self.poll(timeout, "version \(version) on \(expected) streams") { $0.arrivals[version, default: 0] >= expected }
        }
    }

    func close() async {
        for task in tasks.withLock({ $0 }) {
            task.cancel()
            await task.value
        }
    }

    /// Polls every 100 µs: fine-grained enough for millisecond timings, cheap beside 1,000 streams.
    private func poll(_ timeout: Duration, _ what: String, until done: (State) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (finished, failure) = state.withLock { (done($0), $0.failure) }
            if let failure { throw failure }
            if finished { return }
            try await Task.sleep(for: .microseconds(100))
        }
        throw BenchError("timed out after \(timeout) waiting for \(what)")
    }

    struct Arrival: Sendable {
        let wait: @Sendable (Duration) async throws -> Void

        func wait(timeout: Duration) async throws {
            try await wait(timeout)
        }
    }
}
