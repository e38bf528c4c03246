import Synchronization

/// The serving status of a server and of each service it hosts, as health checks see it
/// (``HealthService``). The server's owner sets it: serving once the server listens, not serving
/// while it drains or while something it needs (a database) is unreachable. The empty name is
/// the server as a whole. Thread-safe.
public final class HealthStatuses: Sendable {
    /// Whether a service answers calls.
    public enum Status: Sendable, Hashable {
        case serving
        case notServing
    }

    private struct State {
        var statuses: [String: Status] = [:]
        var watchers: [UInt64: (service: String, continuation: AsyncStream<Status?>.Continuation)] = [:]
        var nextWatcher: UInt64 = 0
        var stopped = false
    }

    private let state = Mutex(State())

    /// Creates statuses that know no service yet.
    public init() {}

    /// Sets the status of `service` ("" for the server as a whole) and tells its watchers when
    /// it changed. Nothing changes once ``stop()`` was called.
    public func set(_ status: Status, for service: String = "") {
        let told = state.withLock { state -> [AsyncStream<Status?>.Continuation] in
            guard !state.stopped, state.statuses[service] != status else { return [] }
            state.statuses[service] = status
            return state.watchers.values.filter { $0.service == service }.map(\.continuation)
        }
        for continuation in told { continuation.yield(status) }
    }

    /// Sets every known name, and the server's, to `status`.
    public func setAll(_ status: Status) {
        let names = state.withLock { Array($0.statuses.keys) + [""] }
        for name in Set(names) { set(status, for: name) }
    }

    /// The status of `service`; `nil` when it is not known.
    public func status(of service: String) -> Status? {
        state.withLock { $0.statuses[service] }
    }

    /// The server is stopping: every status becomes not serving, watchers are told, and their
    /// streams end.
    public func stop() {
        setAll(.notServing)
        let ended = state.withLock { state in
            state.stopped = true
            defer { state.watchers = [:] }
            return state.watchers.values.map(\.continuation)
        }
        for continuation in ended { continuation.finish() }
    }

    /// The status of `service` now (`nil`: unknown), then each change, until ``stop()`` or until
    /// the stream is dropped.
    func watch(_ service: String) -> AsyncStream<Status?> {
        let (stream, continuation) = AsyncStream.makeStream(of: Status?.self, bufferingPolicy: .bufferingNewest(8))
        let (id, current, stopped) = state.withLock { state in
            state.nextWatcher += 1
            if !state.stopped { state.watchers[state.nextWatcher] = (service, continuation) }
            return (state.nextWatcher, state.statuses[service], state.stopped)
        }
        continuation.yield(current)
        if stopped { continuation.finish() }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
        }
        return stream
    }
}
