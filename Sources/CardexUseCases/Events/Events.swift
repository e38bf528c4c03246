import CardexCore

/// Reading a person's event log, for a device that resumes its event stream.
public struct Events: Sendable {
    let store: UseCaseStore

    /// Creates the use cases.
    public init(store: UseCaseStore) {
        self.store = store
    }

    /// Up to `limit` of the person's events after `seq`, in order.
    /// - Throws: ``ResyncRequired`` when events after `seq` were dropped or `seq` is newer than
    ///   the newest event: the device re-reads what it holds and resumes from the newest.
    public func events(of user: UserID, after seq: UInt64, limit: Int) async throws -> [UserEvent] {
        try await store.read { transaction in
            _ = try await transaction.resumableLatestSeq(after: seq, of: user)
            return try await transaction.events(of: user, after: seq, limit: limit)
        }
    }

    /// The events of `ranges` still kept, by person and in order, in one read on the latest
    /// committed state: what other instances stored, for this one's open streams.
    public func events(in ranges: [EventRange]) async throws -> [UserEvent] {
        try await store.readEach { transaction in try await transaction.events(in: ranges) }
    }

    /// The newest sequence number given to the person (0 before the first event).
    public func latestSeq(of user: UserID) async throws -> UInt64 {
        try await store.read { transaction in try await transaction.lastEventSeq(of: user) }
    }
}
