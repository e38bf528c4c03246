import CardexCore

extension ReadTransaction {
    /// `owner`'s current card as `reader` may see it, and the relation it was judged by (mutual
    /// contact or not, the fields the owner's accepted and public shares grant, the groups where
    /// the reader sees the owner): one ``OwnerRowsReading/ownerRows(of:for:)`` read.
    public func viewAndRelation(of owner: UserID, for reader: UserID) async throws -> (view: CardView, relation: Relation) {
        try await ownerRows(of: owner, for: reader).viewAndRelation(of: owner, for: reader)
    }

    /// `owner`'s current card as `reader` may see it.
    public func view(of owner: UserID, for reader: UserID) async throws -> CardView {
        try await viewAndRelation(of: owner, for: reader).view
    }

    /// The inbox entry of a share: the sender's card as accepting it would show it (for a
    /// forwarded entry, as the recipient may see it anyway).
    func inboxEntry(for share: StoredShare) async throws -> InboxEntry {
        let recipient = share.recipientUser ?? UserID(rawValue: "")
        let rows = try await ownerRows(of: share.owner, for: recipient)
        var relation = Relation(of: recipient, to: share.owner, rows)
        if share.entry == nil { relation.granted = relation.granted?.union(share.fields) ?? share.fields }
        return InboxEntry(
            id: share.id, card: CardView(owner: share.owner, card: rows.card, relation: relation),
            receivedAt: share.deliveredAt ?? share.createdAt, forwarded: share.entry)
    }
}

extension OwnerRows {
    /// `owner`'s current card as `reader` may see it, judged from these rows of theirs, and the
    /// relation it was judged by.
    func viewAndRelation(of owner: UserID, for reader: UserID) -> (view: CardView, relation: Relation) {
        let relation = Relation(of: reader, to: owner, self)
        return (CardView(owner: owner, card: card, relation: relation), relation)
    }
}

extension Relation {
    /// How `reader` stands to `owner`, from the rows that decide it: the groups counted are those
    /// where the reader sees the owner (``GroupMember/sees(_:)``).
    init(of reader: UserID, to owner: UserID, _ rows: OwnerRows) {
        self.init(
            reader: reader, isOwner: reader == owner, isContact: rows.isMutualContact,
            commonGroups: Set(rows.groupPairs.filter { $0.other.sees($0.owner) }.map(\.groupID)),
            granted: .union(of: rows.grants.map(\.fields)), acceptedShare: rows.grants.contains { $0.holder != nil })
    }
}
