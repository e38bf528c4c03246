import CardexCore
import Logging

/// Ends sessions wherever they are held: on this instance at once (the session cache forgets
/// them, their event streams end), and on the other instances on the same database through
/// ``InstanceSignaling``, which apply the same signal when it arrives (``InstanceListener``). One
/// rule for logout, session revocation and account deletion.
///
/// A signal that cannot be sent is logged; the other instances then stop trusting the session
/// when their cached entry expires (``SessionCache/lifetime``). An instance that may have
/// missed signals (its listening connection broke) forgets every cached session.
final class Revocations: Sendable {
    let sessions: SessionCache
    let hub: EventHub
    let signals: (any InstanceSignaling)?
    let logger: Logger

    init(sessions: SessionCache, hub: EventHub, signals: (any InstanceSignaling)?, logger: Logger) {
        self.sessions = sessions
        self.hub = hub
        self.signals = signals
        self.logger = logger
    }

    /// The session `id` was revoked or logged out (after the store recorded it).
    func revoked(session id: String) async {
        await end(.sessionRevoked(id))
    }

    /// The account of `user` was deleted (after the store deleted it).
    func deleted(account user: UserID) async {
        await end(.accountDeleted(user))
    }

    private func end(_ signal: InstanceSignal) async {
        apply(signal)
        guard let signals else { return }
        do {
            try await signals.send(signal)
        } catch {
            logger.error(
                "could not tell the other instances of a revocation; they stop trusting the session when their cache entry expires",
                metadata: ["error": "\(error)", "within": "\(sessions.lifetime)"])
        }
    }

    /// Ends here what a revocation signal names (another instance's, or this one's own); other
    /// signals are not revocations.
    func apply(_ signal: InstanceSignal) {
        switch signal {
        case .sessionRevoked(let id):
            sessions.forget(session: id)
            hub.endStreams(ofSession: id)
        case .accountDeleted(let user):
            sessions.forget(user: user)
            hub.endStreams(of: user)
        case .eventsStored: break
        }
    }

    /// Signals may have been missed: trusts no cached session until it is read again.
    func mayHaveMissed() {
        sessions.forgetAll()
    }
}
