/// How a reader stands to a card's owner: everything the audience check needs to know.
///
/// Later features fill in more of it (contacts from mutual matching, common groups);
/// ``Card/visible(to:)`` is the one place that decides.
public struct Relation: Sendable, Hashable {
    /// The reader is the owner.
    public var isOwner: Bool
    /// The reader is a mutual contact of the owner. (An accepted share grants its own fields: see ``granted``.)
    public var isContact: Bool
    /// Groups both belong to.
    public var commonGroups: Set<String>
    /// The fields the owner's accepted shares with the reader (and public shares) grant, beyond
    /// what the audiences admit; `nil` when there is none.
    public var granted: FieldSelection?
    /// The reader accepted a share of the owner's card.
    public var acceptedShare: Bool
    /// The reader.
    public var reader: UserID

    /// Creates a relation.
    public init(
        reader: UserID, isOwner: Bool = false, isContact: Bool = false, commonGroups: Set<String> = [],
        granted: FieldSelection? = nil, acceptedShare: Bool = false
    ) {
        self.reader = reader
        self.isOwner = isOwner
        self.isContact = isContact
        self.commonGroups = commonGroups
        self.granted = granted
        self.acceptedShare = acceptedShare
    }

    /// Whether the reader knows the owner: the owner themself, a mutual contact, a common group
    /// where the reader sees the owner, or an accepted share of the owner's card. What
    /// ``Discoverability/contacts`` admits.
    public var isAcquainted: Bool {
        isOwner || isContact || !commonGroups.isEmpty || acceptedShare
    }

    /// A reader who is neither the owner nor related to them: sees "everyone" fields only.
    public static func stranger(_ reader: UserID) -> Relation { Relation(reader: reader) }
}

extension Audience {
    /// Whether a reader standing in `relation` to the owner may read a field with this audience.
    public func admits(_ relation: Relation) -> Bool {
        if relation.isOwner { return true }
        switch self {
        case .everyone: return true
        case .contacts: return relation.isContact
        case .groups(let groups): return !groups.isDisjoint(with: relation.commonGroups)
        case .people(let people): return people.contains(relation.reader)
        case .onlyMe: return false
        }
    }
}

extension Card {
    /// The fields a reader in `relation` may read, in order: those whose audience admits the
    /// reader, and those a share grants them.
    public func visible(to relation: Relation) -> [CardField] {
        fields.filter { field in
            field.audience.admits(relation) || relation.granted?.grants(field) == true
        }
    }
}
