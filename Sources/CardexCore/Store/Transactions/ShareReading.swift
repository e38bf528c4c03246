/// Reading shares.
public protocol ShareReading: AnyObject {
    /// The share, if it exists.
    func share(_ id: String) async throws -> StoredShare?

    /// The owner's shares, newest first.
    func shares(of owner: UserID) async throws -> [StoredShare]

    /// The shares of `owner`'s own card (not forwarded entries) to `target` in one of `states`.
    func cardShares(of owner: UserID, to target: ShareTarget, in states: Set<StoredShare.State>) async throws -> [StoredShare]

    /// How many of the owner's shares wait for an answer (``StoredShare/State/isUnanswered``).
    func unansweredShareCount(of owner: UserID) async throws -> Int

    /// The shares to the person in `state`, oldest first (by delivery, then by making).
    func shares(to user: UserID, in state: StoredShare.State) async throws -> [StoredShare]

    /// How many shares to the person are in `state`.
    func shareCount(to user: UserID, in state: StoredShare.State) async throws -> Int

    /// The owners of the cards (not forwarded entries) the person accepted, in the order shared.
    func acceptedCardOwners(for user: UserID) async throws -> [UserID]
}

/// Writing shares.
public protocol ShareWriting: AnyObject {
    /// Stores a new share.
    func insertShare(_ share: StoredShare) async throws

    /// Stores a share's new state, delivery time and recipient.
    func updateShare(_ share: StoredShare) async throws

    /// Deletes a share.
    func deleteShare(_ id: String) async throws

    /// Deletes the owner's public shares.
    func deletePublicShares(of owner: UserID) async throws

    /// Deletes the accepted shares of `owner`'s card held by `user`.
    func deleteAcceptedCardShares(of owner: UserID, heldBy user: UserID) async throws

    /// Gives the waiting shares to `phone` (made before anyone held it) to `user`, who holds it
    /// now, and deletes the shares `user` made to themself by that number.
    func claimWaitingShares(to phone: PhoneNumber, for user: UserID) async throws
}
