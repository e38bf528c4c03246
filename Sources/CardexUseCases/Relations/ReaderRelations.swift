import CardexCore

/// One reader's relations to many owners (a query-update's items, a sync page). What does not
/// depend on the owner (the reader's mutual contacts, whether they are in any group) is read
/// once, so each owner costs its grants and card, and its common groups only when the reader is
/// in a group: a query-update of 1,000 items reads that much less. The same answers as
/// ``ReadTransaction/relation(of:to:)``.
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

    /// How the reader stands to `owner`.
    func relation(to owner: UserID) async throws -> Relation {
        let grants = try await transaction.cardGrants(of: owner, to: reader)
        return Relation(
            reader: reader, isOwner: reader == owner, isContact: contacts.contains(owner),
            commonGroups: inAnyGroup ? try await transaction.groupsWhere(reader, sees: owner) : [],
            granted: .union(of: grants.map(\.fields)), acceptedShare: grants.contains { $0.holder != nil })
    }

    /// `owner`'s current card as the reader may see it.
    func view(of owner: UserID) async throws -> CardView {
        let relation = try await relation(to: owner)
        return CardView(owner: owner, card: try await transaction.currentCard(of: owner), relation: relation)
    }
}
