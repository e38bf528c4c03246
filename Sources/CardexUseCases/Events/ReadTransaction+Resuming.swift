import CardexCore

extension ReadTransaction {
    /// The person's newest event sequence number, once it is clear the log still holds every
    /// event after `seq`: a reader at `seq` may resume only if nothing between it and the oldest
    /// kept event was dropped, and `seq` is not past the newest.
    /// - Throws: ``ResyncRequired`` otherwise.
    func resumableLatestSeq(after seq: UInt64, of user: UserID) async throws -> UInt64 {
        let latest = try await lastEventSeq(of: user)
        let oldest = try await firstKeptEventSeq(of: user) ?? latest + 1
        guard seq <= latest, seq + 1 >= oldest else {
            throw ResyncRequired(oldestAvailable: oldest > latest ? 0 : oldest, latest: latest)
        }
        return latest
    }
}
