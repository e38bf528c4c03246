/// What one server instance tells the others on the same database about what they hold in
/// memory: a revocation made through one takes effect on all, and events stored through one
/// reach the streams open on all.
public enum InstanceSignal: Sendable, Hashable {
    /// A session was revoked (logged out, or ended by its owner from another device).
    case sessionRevoked(String)
    /// An account was deleted: every session of it ended.
    case accountDeleted(UserID)
    /// A person's events up to `through` were stored by the instance `origin`: the others read
    /// them from the store for the person's open streams. A wake-up, not the events: the log is
    /// the truth, so a lost signal costs latency, never an event.
    case eventsStored(UserID, through: UInt64, origin: String)

    /// The text sent between instances: `session:<id>`, `account:<user id>` or
    /// `events:<origin>:<through>:<user id>`.
    public var payload: String {
        switch self {
        case .sessionRevoked(let id): "session:" + id
        case .accountDeleted(let user): "account:" + user.rawValue
        case .eventsStored(let user, let through, let origin): "events:\(origin):\(through):\(user.rawValue)"
        }
    }

    /// The signal of a ``payload``; `nil` for a text this version does not know.
    public init?(payload: String) {
        if payload.hasPrefix("session:") {
            self = .sessionRevoked(String(payload.dropFirst("session:".count)))
        } else if payload.hasPrefix("account:") {
            self = .accountDeleted(UserID(rawValue: String(payload.dropFirst("account:".count))))
        } else if payload.hasPrefix("events:") {
            // The origin and the number hold no colon; the user id is the rest.
            let parts = payload.dropFirst("events:".count).split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let through = UInt64(parts[1]), !parts[0].isEmpty, !parts[2].isEmpty else { return nil }
            self = .eventsStored(UserID(rawValue: String(parts[2])), through: through, origin: String(parts[0]))
        } else {
            return nil
        }
    }
}

/// Carries ``InstanceSignal``s between the instances sharing a database. A backend that one
/// instance alone uses (the embedded SQLite) has none.
public protocol InstanceSignaling: Sendable {
    /// This instance's name among those on the database (the `origin` of the events it stores).
    var instance: String { get }

    /// Sends `signal` to every instance listening on the database, this one included.
    func send(_ signal: InstanceSignal) async throws

    /// Listens until the task is cancelled: hands each signal to `receive`, and calls `missed`
    /// whenever signals may have been lost (once listening starts, and again after each
    /// reconnection), so that the caller drops what it cached and reads again what it may have
    /// missed.
    func listen(receive: @escaping @Sendable (InstanceSignal) -> Void, missed: @escaping @Sendable () -> Void) async
}
