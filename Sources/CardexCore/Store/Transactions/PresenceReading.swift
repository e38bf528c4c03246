/// Which people have a device online on the other instances sharing the database: what an
/// instance's own event streams cannot tell it (``PresenceRecording`` writes it).
public protocol PresenceReading {
    /// Whether `user` has an event stream open on another instance still alive (one whose time
    /// has not run out: ``PresenceRecording/keepInstanceAlive(for:)``). A database that one
    /// instance alone uses (the embedded SQLite) has no other instance: always `false`.
    func isOnlineElsewhere(_ user: UserID) async throws -> Bool
}
