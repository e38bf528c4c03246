import CardexCore
import Foundation

/// An in-memory ``OutboxStore`` that records every call the worker makes.
actor FakeOutboxStore: OutboxStore {
    /// One `markFailed` call.
    struct Failure: Equatable {
        var id: Int64
        var error: String
        var retryAt: Date?
    }

    private struct Entry {
        var message: OutboxMessage
        /// When the message is due; `nil` once given up.
        var dueAt: Date?
        var deliveredAt: Date?
    }

    private var entries: [Int64: Entry] = [:]
    private var nextID: Int64 = 1
    /// `markFailed` calls, in order.
    private(set) var failures: [Failure] = []
    /// Ids passed to `markDelivered`, in order.
    private(set) var deliveredIDs: [Int64] = []
    /// How many times `dueMessages` was called.
    private(set) var dueQueries = 0

    /// Queues a message due at `date` (its creation time) and returns its id. Its body is stored
    /// sealed by `sealer`, as the use cases store it, or as given when `sealer` is `nil`.
    @discardableResult
    func queue(
        _ kind: OutboxMessage.Kind = .verificationCode,
        to recipient: String = "+4915123456789",
        body: String = "Your Cardex code is 123456",
        sealedWith sealer: MessageSealer? = Fixtures.sealer,
        at date: Date
    ) -> Int64 {
        let id = nextID
        nextID += 1
        // Sealing with a 256-bit key and a fresh nonce cannot fail.
        let stored = try! sealer.map { try $0.seal(body, kind: kind, recipient: recipient) } ?? body
        let message = OutboxMessage(id: id, kind: kind, recipient: recipient, body: stored, createdAt: date, attempts: 0)
        entries[id] = Entry(message: message, dueAt: date)
        return id
    }

    /// The stored message (its attempts and, once delivered, an erased body).
    func message(_ id: Int64) -> OutboxMessage? { entries[id]?.message }

    /// When the message was marked delivered.
    func deliveredAt(_ id: Int64) -> Date? { entries[id]?.deliveredAt }

    /// Whether the worker gave the message up.
    func isGivenUp(_ id: Int64) -> Bool {
        guard let entry = entries[id] else { return false }
        return entry.deliveredAt == nil && entry.dueAt == nil
    }

    func dueMessages(at now: Date, limit: Int) -> [OutboxMessage] {
        dueQueries += 1
        return entries.values
            .filter { $0.deliveredAt == nil && ($0.dueAt.map { $0 <= now } ?? false) }
            .map(\.message)
            .sorted { $0.id < $1.id }
            .prefix(limit)
            .map { $0 }
    }

    /// Ids passed to `claim`, in order.
    private(set) var claimedIDs: [Int64] = []

    func claim(_ id: Int64, at now: Date, until leaseEnd: Date) -> Bool {
        guard let entry = entries[id], entry.deliveredAt == nil, let due = entry.dueAt, due <= now else { return false }
        claimedIDs.append(id)
        entries[id]?.dueAt = leaseEnd
        return true
    }

    func nextAttemptDate() -> Date? {
        entries.values.filter { $0.deliveredAt == nil }.compactMap(\.dueAt).min()
    }

    func pendingCount() -> Int {
        entries.values.filter { $0.dueAt != nil }.count
    }

    func markDelivered(_ id: Int64, at date: Date) {
        deliveredIDs.append(id)
        entries[id]?.deliveredAt = date
        entries[id]?.dueAt = nil
        entries[id]?.message.body = ""
    }

    func markFailed(_ id: Int64, error: String, retryAt: Date?) {
        failures.append(Failure(id: id, error: error, retryAt: retryAt))
        entries[id]?.message.attempts += 1
        entries[id]?.dueAt = retryAt
    }
}
