/// One query-update item: a person and what the client holds about them.
public struct QueryItem: Sendable, Hashable {
    /// How the client names the person.
    public enum Person: Sendable, Hashable {
        case user(UserID)
        case phone(PhoneNumber)
    }

    public var person: Person
    /// The view etag the client holds, if any.
    public var knownETag: String?
    /// The card version the client holds, when it has no etag (0: none).
    public var knownVersion: UInt64
    /// The name the client stores with the number, for number-change matching.
    public var localName: String?

    /// Creates an item; empty strings count as absent.
    public init(person: Person, knownETag: String? = nil, knownVersion: UInt64 = 0, localName: String? = nil) {
        self.person = person
        self.knownETag = knownETag?.isEmpty == true ? nil : knownETag
        self.knownVersion = knownVersion
        self.localName = localName?.isEmpty == true ? nil : localName
    }
}

/// The answer to one query-update item.
public enum QueryAnswer: Sendable, Hashable {
    case notModified
    /// The view the caller may see now; `numberChanged` when found through an earlier number.
    case updated(CardView, numberChanged: Bool)
    /// No such person, or nothing the caller may see: deliberately one answer.
    case noResult
}

extension QueryItem {
    /// The answer for a view of the person's current card: not modified when the client holds
    /// this view, no result when the caller may see nothing.
    public func answer(for view: CardView, numberChanged: Bool = false) -> QueryAnswer {
        guard !view.fields.isEmpty else { return .noResult }
        if let knownETag { return knownETag == view.etag ? .notModified : .updated(view, numberChanged: numberChanged) }
        if knownVersion != 0 && knownVersion == view.version && !numberChanged { return .notModified }
        return .updated(view, numberChanged: numberChanged)
    }
}

extension String {
    /// Names compared as people read them: case and surrounding spaces do not count.
    public func sameName(as other: String) -> Bool {
        trimmingSpaces.lowercased() == other.trimmingSpaces.lowercased()
    }
}
