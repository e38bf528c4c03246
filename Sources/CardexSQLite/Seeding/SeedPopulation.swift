import CardexCore

/// A synthetic population for benchmarks and seeding tools: account `index` has the phone
/// `phonePrefix` followed by `index` zero-padded to `digits` digits, an id derived from that
/// phone (``UserID/derived(from:)``), the card `card(index)` and an address book with one entry
/// per number of `book(index)`; it lets everyone find it by number, so a lookup of a seeded
/// number by anyone who sees some of its card finds it. The same population always gives the
/// same rows.
public struct SeedPopulation: Sendable {
    public var phonePrefix: String
    public var digits: Int
    public var card: @Sendable (Int) -> Card
    public var book: @Sendable (Int) -> [String]

    /// Creates a population; books are empty unless `book` is given.
    public init(
        phonePrefix: String, digits: Int, card: @escaping @Sendable (Int) -> Card,
        book: @escaping @Sendable (Int) -> [String] = { _ in [] }
    ) {
        self.phonePrefix = phonePrefix
        self.digits = digits
        self.card = card
        self.book = book
    }

    /// The phone of account `index` (padded by hand: `String(format:)` costs a microsecond, and
    /// a million books call this a hundred million times).
    public func phone(_ index: Int) -> String {
        let number = String(index)
        return phonePrefix + String(repeating: "0", count: max(0, digits - number.count)) + number
    }

    /// The id of account `index`.
    public func userID(_ index: Int) -> UserID { UserID.derived(from: phone(index)) }
}
