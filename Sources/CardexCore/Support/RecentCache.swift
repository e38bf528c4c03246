import Synchronization

/// Values kept by key, for work worth doing once per key (decoding a card, parsing a number),
/// bounded to ``capacity`` entries in two generations: new entries go into the young one; when
/// it holds half the capacity it becomes the old one and the previous old one is dropped, and an
/// entry found in the old generation moves back to the young one. So the entries used recently
/// stay (an approximate least-recently-used), and every operation is one or two hash lookups
/// under one lock. Thread-safe.
public final class RecentCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Generations: ~Copyable {
        var young: [Key: Value] = [:]
        var old: [Key: Value] = [:]
    }

    /// The most entries kept.
    public let capacity: Int
    private let generations = Mutex(Generations())

    /// Creates an empty cache of at most `capacity` entries (at least 2).
    public init(capacity: Int) {
        self.capacity = max(2, capacity)
    }

    /// The value kept for `key`, if any.
    public func value(for key: Key) -> Value? {
        generations.withLock { generations in
            if let value = generations.young[key] { return value }
            return generations.old[key].map { keep(key, $0, &generations) }
        }
    }

    /// The value for `key`: the one kept, or `make()`'s, kept for next time (`make` runs outside
    /// the lock; two callers missing at once may both run it).
    public func value<Failure: Error>(for key: Key, _ make: () throws(Failure) -> Value) throws(Failure) -> Value {
        if let value = value(for: key) { return value }
        let value = try make()
        return generations.withLock { keep(key, value, &$0) }
    }

    /// Keeps `value` for `key`, in place of the value kept before.
    public func keep(_ value: Value, for key: Key) {
        generations.withLock { generations in
            generations.old[key] = nil
            _ = keep(key, value, &generations)
        }
    }

    private func keep(_ key: Key, _ value: Value, _ generations: inout Generations) -> Value {
        if generations.young.count >= capacity / 2 {
            generations.old = generations.young
            generations.young = Dictionary(minimumCapacity: capacity / 2)
        }
        generations.young[key] = value
        return value
    }
}
