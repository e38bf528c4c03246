import CardexCore
import Foundation
import Tracing

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
    /// Makes a span of each transaction, a child of the call's span, when tracing is on.
    public let tracing: StoreTracing?

    /// What a store's spans are made with: the tracer, and the database system they name
    /// (`db.system.name`, OpenTelemetry's attribute: `sqlite`, `postgresql`).
    public struct StoreTracing: Sendable {
        public let tracer: any Tracer
        public let system: String

        public init(tracer: any Tracer, system: String) {
            self.tracer = tracer
            self.system = system
        }
    }

    /// Creates a value.
    public init(
        backend: any TransactionalStore, events: EventPolicy, eventSink: (any EventSink)?, sealer: MessageSealer,
        tracing: StoreTracing? = nil, outboxChanged: @escaping @Sendable () -> Void = {}
    ) {
        self.tracing = tracing
        self.backend = backend
        self.events = events
        self.eventSink = eventSink
        self.sealer = sealer
        self.outboxChanged = outboxChanged
    }

    /// Runs `body` in a read transaction.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any ReadTransaction) async throws -> T) async throws -> T {
        try await traced("read") { try await backend.read(body) }
    }

    /// Runs `body` with each read on the latest committed state (``TransactionalStore/readEach(_:)``).
    public func readEach<T: Sendable>(_ body: @escaping @Sendable (any ReadTransaction) async throws -> T) async throws -> T {
        try await traced("read") { try await backend.readEach(body) }
    }

    /// Runs `body` in a write transaction at `now`; after it commits, publishes the events it
    /// appended through its ``Changes`` and wakes the outbox worker if it queued messages.
    public func write<T: Sendable>(now: Date, _ body: @escaping @Sendable (Changes) async throws -> T) async throws -> T {
        let (policy, sealer, backend) = (events, sealer, backend)
        let (value, appended, queued) = try await traced("write") {
            try await backend.write { transaction in
                let changes = Changes(transaction, now: now, events: policy, sealer: sealer)
                let value = try await body(changes)
                return (value, changes.appended, changes.queuedMessages)
            }
        }
        if !appended.isEmpty { eventSink?.publish(appended) }
        if queued { outboxChanged() }
        return value
    }

    /// Runs `work` in a client span named `store <kind>` (a transaction, retries included) when
    /// tracing is on and the work is part of a traced call (a `ServiceContext` is current); as it
    /// is otherwise: work nobody traces starts no trace of its own.
    private func traced<T>(_ kind: String, _ work: () async throws -> T) async throws -> T {
        guard let tracing, ServiceContext.current != nil else { return try await work() }
        return try await tracing.tracer.withSpan("store \(kind)", ofKind: .client) { span in
            span.attributes["db.system.name"] = tracing.system
            span.attributes["db.operation.name"] = kind
            return try await work()
        }
    }
}
