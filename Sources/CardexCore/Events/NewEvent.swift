/// An event to append: what happened, and to whom. The store gives it its sequence number
/// (``UserEvent/seq``) and time when it appends it.
public struct NewEvent: Sendable, Hashable {
    /// Whose log it goes to.
    public var user: UserID
    /// What happened.
    public var payload: EventPayload

    /// Creates a value.
    public init(_ payload: EventPayload, to user: UserID) {
        self.user = user
        self.payload = payload
    }
}
