/// One number to find its holder by: the question every call that maps a number to a person
/// asks (Lookup, Discover, GetCard and QueryUpdate by number), answered in one place (the
/// `Lookups` use case) and paid for from the lookup budgets.
public struct NumberQuery: Sendable, Hashable {
    public var number: PhoneNumber
    /// The name the caller stores with the number (query-update). When the number's holder has
    /// another name, a person of this name who had the number before is looked for instead.
    public var localName: String?

    /// Creates a query; an empty name counts as absent.
    public init(_ number: PhoneNumber, localName: String? = nil) {
        self.number = number
        self.localName = localName?.isEmpty == true ? nil : localName
    }
}

/// The person a number led to, as the reader may see them.
public struct NumberMatch: Sendable, Hashable {
    public var view: CardView
    /// Found through a number the person had before, under the name asked about.
    public var numberChanged: Bool

    public init(view: CardView, numberChanged: Bool = false) {
        self.view = view
        self.numberChanged = numberChanged
    }
}
