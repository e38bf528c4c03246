import CardexCore
import Foundation
import Synchronization

/// Sessions recently found by their token hash, so that most calls authenticate without a
/// database read. An entry is trusted for ``lifetime`` and then read again (which also keeps
/// the session's last-use time fresh); revoking a session, logging out or deleting the account
/// removes entries at once (``forget(session:)``, ``forget(user:)``), so a revoked token stops
/// working on its next call. Bounded by ``capacity``; thread-safe.
final class SessionCache: Sendable {
    private struct Entry {
        var session: DeviceSession
        var checkedAt: ContinuousClock.Instant
    }

    let lifetime: Duration
    let capacity: Int
    private struct State {
        var entries: [Data: Entry] = [:]
        /// Sessions and users forgotten within the last ``lifetime``: a read that raced with the
        /// revocation must not put them back.
        var forgottenSessions: [String: ContinuousClock.Instant] = [:]
        var forgottenUsers: [UserID: ContinuousClock.Instant] = [:]
    }

    private let state = Mutex(State())

    init(lifetime: Duration = .seconds(30), capacity: Int = 100_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The session of `tokenHash`, from the cache while fresh, otherwise from `load` (and cached).
    func session(tokenHash: Data, load: () async throws -> DeviceSession?) async throws -> DeviceSession? {
        let now = ContinuousClock.now
        if let entry = state.withLock({ $0.entries[tokenHash] }), now - entry.checkedAt < lifetime {
            return entry.session
        }
        guard let session = try await load() else {
            state.withLock { _ = $0.entries.removeValue(forKey: tokenHash) }
            return nil
        }
        state.withLock { state in
            if state.entries.count >= capacity {
                state.entries = state.entries.filter { now - $0.value.checkedAt < lifetime }
                if state.entries.count >= capacity { state.entries.removeAll() }
            }
            let recentlyForgotten = [state.forgottenSessions[session.id], state.forgottenUsers[session.userID]]
                .contains { $0.map { now - $0 < lifetime } ?? false }
            if !recentlyForgotten { state.entries[tokenHash] = Entry(session: session, checkedAt: now) }
        }
        return session
    }

    /// Drops the session with this id (revoked, or logged out).
    func forget(session id: String) {
        let now = ContinuousClock.now
        state.withLock { state in
            state.entries = state.entries.filter { $0.value.session.id != id }
            state.forgottenSessions = state.forgottenSessions.filter { now - $0.value < lifetime }
            state.forgottenSessions[id] = now
        }
    }

    /// Drops every cached session (revocations may have been missed): each is read again.
    func forgetAll() {
        state.withLock { $0.entries.removeAll() }
    }

    /// Drops every session of `user` (the account was deleted).
    func forget(user: UserID) {
        let now = ContinuousClock.now
        state.withLock { state in
            state.entries = state.entries.filter { $0.value.session.userID != user }
            state.forgottenUsers = state.forgottenUsers.filter { now - $0.value < lifetime }
            state.forgottenUsers[user] = now
        }
    }
}
