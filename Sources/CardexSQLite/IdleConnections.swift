import GRDB
import Synchronization

/// Connections of one kind for reads that run on threads of their own (``HotReaders``,
/// ``BookIndexPrefetcher``): a read takes an idle one, or opens one when none is idle, and puts
/// it back after. So there are never more than threads reading at once, and taking one is a lock.
final class IdleConnections: Sendable {
    private let path: String
    private let configuration: GRDB.Configuration
    private let idle = Mutex<[DatabaseQueue]>([])

    /// Connections to `path` opened with `configuration`.
    init(path: String, configuration: GRDB.Configuration) {
        self.path = path
        self.configuration = configuration
    }

    /// Runs `body` on a connection no other read is using, on the calling thread.
    func with<T>(_ body: (DatabaseQueue) throws -> T) throws -> T {
        let queue = try idle.withLock { $0.popLast() } ?? DatabaseQueue(path: path, configuration: configuration)
        defer { idle.withLock { $0.append(queue) } }
        return try body(queue)
    }
}
