import CardexClient
import CardexProto
import Foundation
import FramedRPC
import Synchronization

/// A device's open event stream in a test: collects what the server pushes.
///
/// ``open(_:after:)`` returns once the server said the stream is ready, so the device counts as
/// online from then on. Waits are bounded: they poll every 10 ms for at most 15 s (a loaded
/// machine may take seconds to reconnect a listener to PostgreSQL).
final class EventWatcher: Sendable {
    private struct State {
        var ready: UInt64?
        var events: [Cardex_V1_Event] = []
        var end: (any Error)?
        var ended = false
    }

    private let state = Mutex(State())
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Subscribes `client` (replaying after `after` when set) and waits for the ready message.
    static func open(_ client: CardexClient, after: UInt64? = nil) async throws -> EventWatcher {
        let watcher = EventWatcher()
        let task = Task {
            do {
                try await client.events.subscribe(.with { if let after { $0.afterSeq = after } }) { stream in
                    for try await message in stream {
                        watcher.state.withLock { state in
                            switch message.message {
                            case .ready(let ready): state.ready = ready.latestSeq
                            case .event(let event): state.events.append(event)
                            case nil: break
                            }
                        }
                    }
                }
                watcher.state.withLock { $0.ended = true }
            } catch {
                watcher.state.withLock {
                    $0.end = error
                    $0.ended = true
                }
            }
        }
        watcher.task.withLock { $0 = task }
        try await watcher.wait("the stream to be ready") { $0.ready != nil || $0.ended }
        if let error = watcher.state.withLock({ $0.end }) { throw error }
        return watcher
    }

    /// The sequence number the ready message named.
    var readySeq: UInt64 { state.withLock { $0.ready ?? 0 } }

    /// The events received so far.
    var events: [Cardex_V1_Event] { state.withLock { $0.events } }

    /// How the stream ended, once it has.
    var endError: (any Error)? { state.withLock { $0.end } }

    /// Waits until at least `count` events arrived and returns them all.
    @discardableResult
    func waitForEvents(_ count: Int) async throws -> [Cardex_V1_Event] {
        try await wait("\(count) events") { $0.events.count >= count }
        return events
    }

    /// Waits until the server ended the stream.
    func waitForEnd() async throws {
        try await wait("the stream to end") { $0.ended }
    }

    /// Closes the stream (the device goes offline) and waits until the call is over.
    func close() async {
        let task = task.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    private func wait(_ what: String, until condition: (State) -> Bool) async throws {
        for _ in 0..<1500 {
            if state.withLock({ condition($0) }) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw WaitTimedOut(what: what, received: events.count)
    }

    struct WaitTimedOut: Error, CustomStringConvertible {
        let what: String
        let received: Int
        var description: String { "timed out waiting for \(what) (received \(received) events)" }
    }
}
