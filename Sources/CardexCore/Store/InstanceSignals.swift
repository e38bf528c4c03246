/// What one server instance tells the others on the same database about what they hold in
/// memory, so that a revocation made through one takes effect on all.
public enum InstanceSignal: Sendable, Hashable {
    /// A session was revoked (logged out, or ended by its owner from another device).
    case sessionRevoked(String)
    /// An account was deleted: every session of it ended.
    case accountDeleted(UserID)

    /// The text sent between instances: `session:<id>` or `account:<user id>`.
    public var payload: String {
        switch self {
        case .sessionRevoked(let id): "session:" + id
        case .accountDeleted(let user): "account:" + user.rawValue
        }
    }

    /// The signal of a ``payload``; `nil` for a text this version does not know.
    public init?(payload: String) {
        if payload.hasPrefix("session:") {
            self = .sessionRevoked(String(payload.dropFirst("session:".count)))
        } else if payload.hasPrefix("account:") {
            self = .accountDeleted(UserID(rawValue: String(payload.dropFirst("account:".count))))
        } else {
            return nil
        }
    }
}

/// Carries ``InstanceSignal``s between the instances sharing a database. A backend that one
/// instance alone uses (the embedded SQLite) has none.
public protocol InstanceSignaling: Sendable {
    /// Sends `signal` to every instance listening on the database, this one included.
    func send(_ signal: InstanceSignal) async throws

    /// Listens until the task is cancelled: hands each signal to `receive`, and calls `missed`
    /// whenever signals may have been lost (once listening starts, and again after each
    /// reconnection), so that the caller drops what it cached.
    func listen(receive: @escaping @Sendable (InstanceSignal) -> Void, missed: @escaping @Sendable () -> Void) async
}
