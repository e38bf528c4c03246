import CardexCore
import Foundation

/// The store as use cases run it: a backend's transactions, with what must follow a commit done
/// here once, so no use case (and no handler) has to remember it: the events a write appended
/// are published to online devices, and the notification worker is woken when it queued messages.
public struct UseCaseStore: Sendable {
    /// The backend.
    public let backend: any TransactionalStore
    /// How long and how many events are kept per person.
    public let events: EventPolicy
    /// Receives the events each write appended, after it commits.
    public let eventSink: (any EventSink)?
    /// Called after a write that queued outbox messages commits.
    public let outboxChanged: @Sendable () -> Void
    /// Seals the body of every message a write queues; the notification worker opens them with
    /// a sealer made from the same secret.
    public let sealer: MessageSealer

    /// Creates a value.
    public init(
        backend: any TransactionalStore, events: EventPolicy, eventSink: (any EventSink)?, sealer: MessageSealer,
        outboxChanged: @escaping @Sendable () -> Void = {}
    ) {
        self.backend = backend
        self.events = events
        self.eventSink = eventSink
        self.sealer = sealer
        self.outboxChanged = outboxChanged
    }

    /// Runs `body` in a read transaction.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any ReadTransaction) async throws -> T) async throws -> T {
        try await backend.read(body)
    }

    /// Runs `body` with each read on the latest committed state (``TransactionalStore/readEach(_:)``).
    public func readEach<T: Sendable>(_ body: @escaping @Sendable (any ReadTransaction) async throws -> T) async throws -> T {
        try await backend.readEach(body)
    }

    /// Runs `body` in a write transaction at `now`; after it commits, publishes the events it
    /// appended through its ``Changes`` and wakes the outbox worker if it queued messages.
    public func write<T: Sendable>(now: Date, _ body: @escaping @Sendable (Changes) async throws -> T) async throws -> T {
        let (policy, sealer) = (events, sealer)
        let (value, appended, queued) = try await backend.write { transaction in
            let changes = Changes(transaction, now: now, events: policy, sealer: sealer)
            let value = try await body(changes)
            return (value, changes.appended, changes.queuedMessages)
        }
        if !appended.isEmpty { eventSink?.publish(appended) }
        if queued { outboxChanged() }
        return value
    }
}
