/// What decides how a reader sees an owner's card, as stored: the owner's current card, the
/// grants of their shares to the reader (and public ones), whether the two are mutual contacts,
/// and the group pairs of the owner's memberships with the reader's. The rules apply above
/// (`Relation`, ``GroupMember/sees(_:)``).
public struct OwnerRows: Sendable, Hashable {
    /// The owner's current card; `nil` before the first save.
    public var card: StoredCard?
    /// ``RelationReading/cardGrants(of:to:)`` for the reader.
    public var grants: [CardGrant]
    /// Whether reader and owner are mutual contacts.
    public var isMutualContact: Bool
    /// ``RelationReading/groupPairs(of:reader:)`` for the reader.
    public var groupPairs: [GroupPair]

    /// Creates a value.
    public init(card: StoredCard?, grants: [CardGrant], isMutualContact: Bool, groupPairs: [GroupPair]) {
        self.card = card
        self.grants = grants
        self.isMutualContact = isMutualContact
        self.groupPairs = groupPairs
    }
}

/// Reading ``OwnerRows``: a lookup's answer needs all of them, for one owner at a time.
public protocol OwnerRowsReading: AnyObject {
    /// `owner`'s card and what decides how `reader` sees it, read together. A default reads
    /// them one by one; a backend that pays a round trip per read reads them at once.
    func ownerRows(of owner: UserID, for reader: UserID) async throws -> OwnerRows

    /// The account whose number `phone` is, and its ``ownerRows(of:for:)`` for `reader`, read
    /// together: what a lookup reads for one number. For a number no account has, the rows
    /// are those of `absent` (an id no account has), so that an unregistered number costs the
    /// same reads as a hidden person. A default reads them one after the other.
    func numberRows(of phone: PhoneNumber, for reader: UserID, absent: UserID) async throws -> (holder: NumberHolder?, rows: OwnerRows)
}

extension OwnerRowsReading where Self: NumberReading {
    public func numberRows(of phone: PhoneNumber, for reader: UserID, absent: UserID) async throws -> (holder: NumberHolder?, rows: OwnerRows) {
        let holder = try await holder(of: phone)
        return (holder, try await ownerRows(of: holder?.user ?? absent, for: reader))
    }
}

extension OwnerRowsReading where Self: CardReading & RelationReading {
    public func ownerRows(of owner: UserID, for reader: UserID) async throws -> OwnerRows {
        OwnerRows(
            card: try await currentCard(of: owner), grants: try await cardGrants(of: owner, to: reader),
            isMutualContact: try await isMutualContact(reader, of: owner), groupPairs: try await groupPairs(of: owner, reader: reader))
    }
}
