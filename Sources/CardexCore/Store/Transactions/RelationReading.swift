/// What decides how a reader stands to an owner, as stored: shares that grant fields, mutual
/// contacts, co-membership of groups. The rules (``Relation``, ``GroupMember/sees(_:)``) apply above.
public protocol RelationReading: AnyObject {
    /// The shares of `owner`'s own card that grant fields now: accepted ones (with their holder)
    /// and public ones (holder `nil`); with `reader`, only that reader's and the public ones.
    func cardGrants(of owner: UserID, to reader: UserID?) async throws -> [CardGrant]

    /// ``cardGrants(of:to:)`` for many owners and one reader, by owner (owners with none are
    /// absent). A default asks owner by owner.
    func cardGrants(of owners: [UserID], to reader: UserID) async throws -> [UserID: [CardGrant]]

    /// The people `user` is a mutual contact of (the relation is symmetric).
    func mutualContacts(of user: UserID) async throws -> [UserID]

    /// Whether `reader` and `owner` are mutual contacts.
    func isMutualContact(_ reader: UserID, of owner: UserID) async throws -> Bool

    /// Whether the person belongs to any group.
    func belongsToAnyGroup(_ user: UserID) async throws -> Bool

    /// Every pair of `owner`'s membership and another member's in a group they share (only
    /// `reader`'s, when given).
    func groupPairs(of owner: UserID, reader: UserID?) async throws -> [GroupPair]

    /// ``groupPairs(of:reader:)`` for many owners and one reader. A default asks owner by owner.
    func groupPairs(of owners: [UserID], reader: UserID) async throws -> [GroupPair]
}

extension RelationReading {
    public func cardGrants(of owners: [UserID], to reader: UserID) async throws -> [UserID: [CardGrant]] {
        var grants: [UserID: [CardGrant]] = [:]
        for owner in Set(owners) {
            let found = try await cardGrants(of: owner, to: reader)
            if !found.isEmpty { grants[owner] = found }
        }
        return grants
    }

    public func groupPairs(of owners: [UserID], reader: UserID) async throws -> [GroupPair] {
        var pairs: [GroupPair] = []
        for owner in Set(owners) {
            pairs += try await groupPairs(of: owner, reader: reader)
        }
        return pairs
    }
}

/// A share that grants fields of its owner's card.
public struct CardGrant: Sendable, Hashable {
    /// Who accepted it; `nil` for a public share.
    public var holder: UserID?
    /// What it grants.
    public var fields: FieldSelection

    /// Creates a value.
    public init(holder: UserID?, fields: FieldSelection) {
        self.holder = holder
        self.fields = fields
    }
}

/// Two members of one group: an owner of a card and another member.
public struct GroupPair: Sendable, Hashable {
    public var groupID: String
    public var owner: GroupMember
    public var other: GroupMember

    /// Creates a value.
    public init(groupID: String, owner: GroupMember, other: GroupMember) {
        self.groupID = groupID
        self.owner = owner
        self.other = other
    }
}
