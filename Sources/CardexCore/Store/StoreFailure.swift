/// A backend's own failure (not a rule of Cardex refusing something): the database could not be
/// reached, a transaction kept conflicting, a statement ran out of time, or something else went
/// wrong. Backends throw this instead of their driver's errors, so the server can answer with a
/// status and log the reason whatever the backend.
///
/// ``description`` is for the operator's log: the backend, its code (a SQLSTATE, an SQLite result
/// code) and the database's message, never the values a statement carried.
public struct StoreFailure: Error, Sendable, CustomStringConvertible {
    /// What kind of failure it is, which decides what the caller is told.
    public enum Kind: Sendable, Hashable {
        /// The database cannot be reached or is out of some resource (connections, disk, a
        /// lock it waited for too long): trying again later may succeed.
        case unavailable
        /// The transaction conflicted with others on every attempt the store made.
        case conflict
        /// A statement ran longer than the store allows.
        case timeout
        /// Anything else: a bug, a damaged or foreign schema.
        case failed
    }

    /// The kind.
    public let kind: Kind
    /// What failed, for the log.
    public let description: String

    /// Creates a failure.
    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
