/// A synthetic population for benchmarks and seeding tools: account `index` has the phone
/// `phonePrefix` followed by `index` zero-padded to `digits` digits, an id derived from that
/// phone (``UserID/derived(from:)``), the card `card(index)` and an address book with one entry
/// per number of `book(index)`; it lets everyone find it by number, so a lookup of a seeded
/// number by anyone who sees some of its card finds it. The same population always gives the
/// same rows, on every store: each store's seeder writes ``account(_:)``.
public struct SeedPopulation: Sendable {
    public var phonePrefix: String
    public var digits: Int
    public var card: @Sendable (Int) -> Card
    public var book: @Sendable (Int) -> [String]

    /// The settings of every seeded account: cloud address book on, auto-send off, findable by
    /// everyone.
    public static let settings = AccountSettings(cloudAddressBook: true, autoSendCard: false, discoverableBy: .everyone)

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

    /// Account `index` as the stores write it.
    public func account(_ index: Int) -> SeededAccount {
        let phone = phone(index)
        let card = card(index)
        return SeededAccount(
            userID: UserID.derived(from: phone), phone: phone, card: card, etag: ETag.ofCard(card), book: bookEntries(index))
    }

    /// Account `index`'s address book as stored: entry `position` of `book(index)` has the client
    /// id `String(position)`, the name `Contact <position>` and that one number (typed and
    /// matchable). The entries come in the order their client ids sort as text (byte order: "0",
    /// "1", "10", "11", …, "2"), the order of the stores' primary keys.
    public func bookEntries(_ index: Int) -> [BookEntry] {
        let numbers = book(index)
        return Self.textOrder(numbers.count).map { position in
            BookEntry(
                clientEntryID: String(position), name: "Contact \(position)", phones: [numbers[position]],
                numbers: [PhoneNumber(e164: numbers[position])])
        }
    }

    /// `0..<count` in the order of their decimal forms as text, made in one pass (a depth-first
    /// walk of the digit tree) rather than by sorting strings: a million books ask for it.
    static func textOrder(_ count: Int) -> [Int] {
        guard count > 0 else { return [] }
        var order = [0]
        order.reserveCapacity(count)
        var next = 1
        while order.count < count {
            order.append(next)
            if next * 10 < count {
                next *= 10  // the first number with one more digit under this prefix
            } else {
                while next % 10 == 9 || next + 1 >= count { next /= 10 }  // up to a prefix with a next sibling
                next += 1
            }
        }
        return order
    }
}
