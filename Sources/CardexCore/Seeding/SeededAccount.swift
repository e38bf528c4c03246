/// One account of a ``SeedPopulation`` as the stores write it: the account row (with
/// ``SeedPopulation/settings``), its card at version 1 and its address book.
public struct SeededAccount: Sendable {
    public var userID: UserID
    /// The account's number, in E.164.
    public var phone: String
    public var card: Card
    /// ``ETag/ofCard(_:)`` of ``card``.
    public var etag: String
    /// The book's entries in the order of their client ids as text (``SeedPopulation/bookEntries(_:)``).
    public var book: [BookEntry]
}
