/// How a reader stands to a card's owner: everything the audience check needs to know.
///
/// Later features fill in more of it (contacts from shares and mutual matching, common groups);
/// ``Audience/admits(_:)`` is the one place that decides.
public struct Relation: Sendable, Hashable {
    /// The reader is the owner.
    public var isOwner: Bool
    /// The reader is a contact of the owner: a mutual contact or the holder of an accepted share.
    public var isContact: Bool
    /// Groups both belong to.
    public var commonGroups: Set<String>
    /// The reader.
    public var reader: UserID

    /// Creates a relation.
    public init(reader: UserID, isOwner: Bool = false, isContact: Bool = false, commonGroups: Set<String> = []) {
        self.reader = reader
        self.isOwner = isOwner
        self.isContact = isContact
        self.commonGroups = commonGroups
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
    /// The fields a reader in `relation` may read, in order.
    public func visible(to relation: Relation) -> [CardField] {
        fields.filter { $0.audience.admits(relation) }
    }
}
