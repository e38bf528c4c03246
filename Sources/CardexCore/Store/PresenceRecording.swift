/// Where an instance sharing a database with others records which people have a device online
/// on it, so that the others' delivery decisions see them (``PresenceReading``), and how long it
/// counts as alive: an instance that stops keeping itself alive (it died, or lost the database)
/// stops counting as holding devices once its time runs out.
public protocol PresenceRecording: Sendable {
    /// Marks this instance alive for `expiry` more, on the database's clock, and removes the
    /// instances whose time ran out, with the devices recorded for them. Returns `true` when
    /// this instance was not recorded (the first call, or its time ran out and another instance
    /// removed it): its devices must then be recorded again.
    func keepInstanceAlive(for expiry: Duration) async throws -> Bool

    /// Records that the people `online` have a device online on this instance and that those in
    /// `offline` no longer have. People whose account is gone are skipped.
    func recordPresence(online: [UserID], offline: [UserID]) async throws

    /// Removes this instance and the devices recorded for it (it is stopping).
    func removeInstance() async throws
}
