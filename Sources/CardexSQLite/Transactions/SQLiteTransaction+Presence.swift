import CardexCore

extension SQLiteTransaction {
    /// An SQLite database has one instance (it holds the file): every open stream is in its own
    /// hub, and no other instance holds one.
    func isOnlineElsewhere(_ user: UserID) async throws -> Bool { false }
}
