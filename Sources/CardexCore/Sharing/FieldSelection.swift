/// Picks fields of a card: every field of a kind, or only those with one label.
public struct FieldSelector: Sendable, Hashable, Codable {
    /// The kind of field picked.
    public var kind: FieldKind
    /// When set, only fields with exactly this label are picked.
    public var label: String?

    /// Creates a selector; an empty or `nil` label picks every field of the kind.
    public init(kind: FieldKind, label: String? = nil) {
        self.kind = kind
        self.label = label?.isEmpty == true ? nil : label
    }

    /// Whether the selector picks `field`.
    public func picks(_ field: CardField) -> Bool {
        field.kind == kind && (label == nil || label == field.label)
    }
}

/// The fields a share grants: the whole card, or those picked by selectors.
///
/// A selection names fields by kind and label, not by position, so later versions of the card
/// follow the share: a changed phone number stays shared, a new e-mail address is shared only
/// if the selection covers it. Fields whose audience is ``Audience/onlyMe`` are never granted.
public enum FieldSelection: Sendable, Hashable, Codable {
    /// Every field of the card, except "only me" fields.
    case all
    /// The fields any of these selectors pick.
    case picked(Set<FieldSelector>)

    /// A selection from a list of selectors; an empty list is the whole card.
    public init(_ selectors: [FieldSelector]) {
        self = selectors.isEmpty ? .all : .picked(Set(selectors))
    }

    /// Whether the selection grants `field`.
    public func grants(_ field: CardField) -> Bool {
        if field.audience == .onlyMe { return false }
        switch self {
        case .all: return true
        case .picked(let selectors): return selectors.contains { $0.picks(field) }
        }
    }

    /// The fields either selection grants.
    public func union(_ other: FieldSelection) -> FieldSelection {
        switch (self, other) {
        case (.all, _), (_, .all): .all
        case (.picked(let a), .picked(let b)): .picked(a.union(b))
        }
    }

    /// The fields any of `selections` grants; `nil` when there is none.
    public static func union(of selections: some Sequence<FieldSelection>) -> FieldSelection? {
        selections.reduce(nil) { $0?.union($1) ?? $1 }
    }

    /// The selectors, sorted for display; empty for the whole card.
    public var selectors: [FieldSelector] {
        switch self {
        case .all: []
        case .picked(let selectors):
            selectors.sorted { ($0.kind.rawValue, $0.label ?? "") < ($1.kind.rawValue, $1.label ?? "") }
        }
    }
}
