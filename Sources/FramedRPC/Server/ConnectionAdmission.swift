/// Decides which connections a server takes: a pure state machine over the connections it
/// holds, each from a ``ConnectionOrigin`` and either pending (TLS handshake and preface not yet
/// complete) or established. ``RPCServer`` keeps one under its lock and carries out the
/// decisions (closing connections).
///
/// The rule, for a new connection: where taking it would exceed a limit, the oldest pending
/// connection within that limit's scope is closed to make room; with none pending there, the
/// new connection is refused. The limits and their scopes:
/// - `maxPendingHandshakesPerAddress`, `maxConnectionsPerAddress`: the new connection's origin;
/// - `maxConnections`: every origin.
///
/// So unfinished handshakes never keep a client out: one that has not finished within the time
/// later arrivals take to fill the limit gives way to them. An address hoarding handshakes only
/// displaces its own, and a hoard from many addresses must be renewed faster than a real client
/// completes its handshake (a few round trips) to push it out. Established connections are
/// never closed here; past `maxConnections` of them, new connections are refused. Once the
/// server drains (``drain()``), every new connection is refused.
///
/// Cost: admitting and establishing a connection are O(pending connections); they happen once
/// per connection.
struct ConnectionAdmission<ID: Hashable & Sendable>: Sendable {
    /// What to do with a new connection.
    enum Decision: Equatable {
        /// Take it, after closing the pending connection it displaces, if any (already
        /// forgotten here).
        case admit(displacing: ID?)
        /// Close it.
        case refuse
    }

    /// What is held from one origin.
    struct Tally: Equatable {
        /// Connections, pending or established.
        var open = 0
        /// Connections whose handshake and preface are not complete.
        var pending = 0
    }

    private struct Connection {
        var origin: ConnectionOrigin
        var isPending: Bool
    }

    private var connections: [ID: Connection] = [:]
    private var tallies: [ConnectionOrigin: Tally] = [:]
    /// Pending connections, oldest first.
    private var pendingOrder: [ID] = []
    /// Whether the server is shutting down: it takes no new connection.
    private(set) var isDraining = false

    /// Connections held, pending or established.
    var count: Int { connections.count }

    /// Connections whose handshake and preface are not complete.
    var pendingCount: Int { pendingOrder.count }

    /// What is held from `origin`.
    func tally(of origin: ConnectionOrigin) -> Tally {
        tallies[origin] ?? Tally()
    }

    /// Decides on a new connection `id` from `origin` under `limits`; an admitted connection is
    /// held as pending until ``established(_:)``. At most one connection is displaced: making
    /// room within the origin's limits also makes room within `maxConnections`.
    mutating func admit(_ id: ID, from origin: ConnectionOrigin, limits: ServerConfiguration.Admission) -> Decision {
        guard !isDraining else { return .refuse }
        let tally = tally(of: origin)
        var displaced: ID?
        if tally.pending >= limits.maxPendingHandshakesPerAddress || tally.open >= limits.maxConnectionsPerAddress {
            guard let oldest = pendingOrder.first(where: { connections[$0]?.origin == origin }) else { return .refuse }
            displaced = oldest
        } else if connections.count >= limits.maxConnections {
            guard let oldest = pendingOrder.first else { return .refuse }
            displaced = oldest
        }
        if let displaced { closed(displaced) }
        connections[id] = Connection(origin: origin, isPending: true)
        tallies[origin, default: Tally()].open += 1
        tallies[origin, default: Tally()].pending += 1
        pendingOrder.append(id)
        return .admit(displacing: displaced)
    }

    /// The server is shutting down: from now on every new connection is refused. The
    /// connections held are still tracked until they close (the server drains them).
    mutating func drain() {
        isDraining = true
    }

    /// Records that `id` completed its handshake and preface; it is no longer pending.
    mutating func established(_ id: ID) {
        guard let connection = connections[id], connection.isPending else { return }
        connections[id]?.isPending = false
        tallies[connection.origin]?.pending -= 1
        forgetPending(id)
    }

    /// Forgets `id` (closed, or chosen to be closed); nothing happens for one not held.
    mutating func closed(_ id: ID) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        var tally = tallies[connection.origin] ?? Tally()
        tally.open -= 1
        if connection.isPending {
            tally.pending -= 1
            forgetPending(id)
        }
        tallies[connection.origin] = tally.open > 0 ? tally : nil
    }

    private mutating func forgetPending(_ id: ID) {
        if let index = pendingOrder.firstIndex(of: id) { pendingOrder.remove(at: index) }
    }
}
