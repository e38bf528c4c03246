/// Who may read a card field.
public enum Audience: Sendable, Hashable, Codable {
    /// Anyone signed in.
    case everyone
    /// Mutual contacts. (An accepted share grants the fields it names, whatever their audience.)
    case contacts
    /// Members of these groups.
    case groups(Set<String>)
    /// These people.
    case people(Set<UserID>)
    /// The owner alone.
    case onlyMe
}
