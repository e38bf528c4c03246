import CardexCore

extension ReadTransaction {
    /// How `reader` stands to `owner`: mutual contact or not, the fields the owner's accepted and
    /// public shares grant, and the groups where the reader sees the owner.
    public func relation(of reader: UserID, to owner: UserID) async throws -> Relation {
        let grants = try await cardGrants(of: owner, to: reader)
        return Relation(
            reader: reader, isOwner: reader == owner, isContact: try await isMutualContact(reader, of: owner),
            commonGroups: try await groupsWhere(reader, sees: owner), granted: .union(of: grants.map(\.fields)),
            acceptedShare: grants.contains { $0.holder != nil })
    }

    /// `owner`'s current card as `reader` may see it.
    public func view(of owner: UserID, for reader: UserID) async throws -> CardView {
        CardView(owner: owner, card: try await currentCard(of: owner), relation: try await relation(of: reader, to: owner))
    }

    /// The groups where `reader` sees `owner` (``GroupMember/sees(_:)``).
    func groupsWhere(_ reader: UserID, sees owner: UserID) async throws -> Set<String> {
        Set(try await groupPairs(of: owner, reader: reader).filter { $0.other.sees($0.owner) }.map(\.groupID))
    }

    /// The inbox entry of a share: the sender's card as accepting it would show it (for a
    /// forwarded entry, as the recipient may see it anyway).
    func inboxEntry(for share: StoredShare) async throws -> InboxEntry {
        var relation = try await relation(of: share.recipientUser ?? UserID(rawValue: ""), to: share.owner)
        if share.entry == nil { relation.granted = relation.granted?.union(share.fields) ?? share.fields }
        return InboxEntry(
            id: share.id, card: CardView(owner: share.owner, card: try await currentCard(of: share.owner), relation: relation),
            receivedAt: share.deliveredAt ?? share.createdAt, forwarded: share.entry)
    }
}
