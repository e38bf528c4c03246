import CardexCore

extension Cards {
    /// The person's own current card, every field, or `nil` before the first save.
    public func current(of user: UserID) async throws -> StoredCard? {
        try await store.read { transaction in try await transaction.currentCard(of: user) }
    }

    /// `owner`'s current card as `reader` may see it, read in one transaction with the relation
    /// that decides it (a view without fields: nothing to see).
    public func view(of owner: UserID, for reader: UserID) async throws -> CardView {
        try await store.read { transaction in try await transaction.view(of: owner, for: reader) }
    }
}
