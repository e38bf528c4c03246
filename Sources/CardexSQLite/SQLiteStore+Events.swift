import CardexCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Runs `body` in a write transaction with an ``EventLog``; once it has committed, publishes
    /// the events it appended to the sink.
    func writeWithEvents<T: Sendable>(
        now: Date, _ body: @escaping @Sendable (Database, inout EventLog) throws -> T
    ) async throws -> T {
        let policy = eventPolicy
        let (value, events) = try await pool.write { db in
            var log = EventLog(policy: policy, now: now)
            let value = try body(db, &log)
            return (value, log.appended)
        }
        if !events.isEmpty { eventSink?.publish(events) }
        return value
    }
}
