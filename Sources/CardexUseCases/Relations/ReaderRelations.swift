import CardexCore

/// One reader's relations to many owners (a query-update's items, a sync page). What does not
/// depend on the owner (the reader's mutual contacts, whether they are in any group) is read
/// once, and the owners' cards, grants and common groups (only when the reader is in a group)
/// for all owners at once. The same answers as ``ReadTransaction/viewAndRelation(of:for:)``
/// (both judge with `OwnerRows.viewAndRelation(of:for:)`).
///
/// Valid only inside the transaction it was made in.
struct ReaderRelations {
    let reader: UserID
    private let transaction: any ReadTransaction
    private let contacts: Set<UserID>
    private let inAnyGroup: Bool

    /// Reads what the reader's relations share, in `transaction`.
    init(of reader: UserID, in transaction: any ReadTransaction) async throws {
        self.reader = reader
        self.transaction = transaction
        contacts = Set(try await transaction.mutualContacts(of: reader))
        inAnyGroup = try await transaction.belongsToAnyGroup(reader)
    }

    /// The current cards of `owners` as the reader may see them, in order: the owners' cards,
    /// grants and common groups each read for all of them at once (a few statements whatever
    /// their number, where a backend makes each a round trip).
    func views(of owners: [UserID]) async throws -> [CardView] {
        try await rows(of: owners).map { owner, rows in rows.viewAndRelation(of: owner, for: reader).view }
    }

    /// The current cards of `owners` as the reader may see them, in order, each with whether the
    /// reader holds the card (``OwnerRows/isHeld(by:)``): what a delta sync lists as changed.
    func heldViews(of owners: [UserID]) async throws -> [(view: CardView, held: Bool)] {
        try await rows(of: owners).map { owner, rows in (rows.viewAndRelation(of: owner, for: reader).view, rows.isHeld(by: reader)) }
    }

    private func rows(of owners: [UserID]) async throws -> [(UserID, OwnerRows)] {
        let cards = try await transaction.currentCards(of: owners)
        let grants = try await transaction.cardGrants(of: owners, to: reader)
        let pairs = inAnyGroup ? Dictionary(grouping: try await transaction.groupPairs(of: owners, reader: reader), by: \.owner.user) : [:]
        return owners.map { owner in
            (owner, OwnerRows(card: cards[owner], grants: grants[owner] ?? [], isMutualContact: contacts.contains(owner), groupPairs: pairs[owner] ?? []))
        }
    }
}
