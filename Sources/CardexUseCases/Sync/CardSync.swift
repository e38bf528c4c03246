import CardexCore

/// Keeping a phone's copies of cards fresh: query-update by user id, and delta sync over the
/// reader's event log. Each call is one read transaction. (Query-update by number is a lookup:
/// ``Lookups``.)
public struct CardSync: Sendable {
    let store: UseCaseStore

    /// Events read from the log per query while a delta sync looks for the next page's cards.
    static let eventsPerRead = 500

    /// Creates the use cases.
    public init(store: UseCaseStore) {
        self.store = store
    }

    /// The current cards of `owners` as `reader` may see them, in order (a view without fields:
    /// nothing to see). Query-update by user id (patent CN103067478A claims 9–14).
    public func currentViews(of owners: [UserID], for reader: UserID) async throws -> [CardView] {
        try await store.read { transaction in
            try await ReaderRelations(of: reader, in: transaction).views(of: owners)
        }
    }

    /// The cards among `owners` that `reader` holds now (what a full sync lists: ``OwnerRows``'s
    /// `isHeld(by:)`, something visible), as the reader may see them, in order.
    public func heldViews(of owners: [UserID], for reader: UserID) async throws -> [CardView] {
        try await store.read { transaction in
            try await ReaderRelations(of: reader, in: transaction).heldViews(of: owners)
                .filter { $0.held && !$0.view.fields.isEmpty }.map(\.view)
        }
    }

    /// The cards that changed for `reader` since `token`, at most `limit` per page: with no
    /// token (or one of a full sync under way) every card the reader holds, otherwise those
    /// named by the reader's events after the token.
    /// - Throws: ``CardexError/failedPrecondition(_:)`` for a token of another account, an
    ///   expired token (the events after it are no longer kept), or one from before a group
    ///   the reader was in was deleted: the client then does a full sync.
    public func page(for reader: UserID, since token: SyncToken?, limit: Int) async throws -> SyncPage {
        if let token, token.user != reader {
            throw CardexError.failedPrecondition("this sync token belongs to another account: do a full sync (send no token)")
        }
        return try await store.read { transaction in
            guard let token, token.fullSyncAfter == nil else {
                // A new full sync: the delta sync after it starts at the newest event now.
                let start = if let token { token } else { SyncToken(user: reader, seq: try await transaction.lastEventSeq(of: reader)) }
                return try await Self.fullSyncPage(for: reader, from: start, limit: limit, transaction)
            }
            return try await Self.deltaSyncPage(for: reader, since: token, limit: limit, transaction)
        }
    }

    /// Every card the reader holds, in owner-id order from the token's position; the token's
    /// sequence number is where the delta sync that follows starts.
    private static func fullSyncPage(
        for reader: UserID, from token: SyncToken, limit: Int, _ transaction: any ReadTransaction
    ) async throws -> SyncPage {
        let owners = try await heldCards(of: reader, transaction)
            .filter { $0.rawValue > (token.fullSyncAfter ?? "") }.sorted { $0.rawValue < $1.rawValue }
        let page = owners.prefix(limit)
        let views = try await ReaderRelations(of: reader, in: transaction).views(of: Array(page))
        let more = owners.count > limit
        return SyncPage(
            changed: views.filter { !$0.fields.isEmpty }, removed: [],
            next: SyncToken(user: reader, seq: token.seq, fullSyncAfter: more ? page.last?.rawValue : nil), more: more)
    }

    /// The people whose cards the reader holds: accepted shares, mutual contacts, and the
    /// members of the reader's groups the reader sees there (``GroupMember/sees(_:)``). The
    /// same rule, owner by owner, is ``OwnerRows/isHeld(by:)``.
    private static func heldCards(of reader: UserID, _ transaction: any ReadTransaction) async throws -> Set<UserID> {
        var owners = Set(try await transaction.acceptedCardOwners(for: reader))
        owners.formUnion(try await transaction.mutualContacts(of: reader))
        // Pairs of the reader's membership (`owner`) with each other member of the group.
        for pair in try await transaction.groupPairs(of: reader, reader: nil) where pair.owner.sees(pair.other) {
            owners.insert(pair.other.user)
        }
        return owners
    }
}

extension OwnerRows {
    /// Whether `reader` holds the owner's card, so that a sync lists it: a share to the reader
    /// accepted (not only a public one), a mutual contact, or a group in which the reader sees
    /// the owner. The rule ``CardSync``'s full sync enumerates for all owners at once.
    func isHeld(by reader: UserID) -> Bool {
        grants.contains { $0.holder == reader } || isMutualContact || groupPairs.contains { $0.other.sees($0.owner) }
    }
}
