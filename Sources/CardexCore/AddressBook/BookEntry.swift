/// One entry of a person's address book, as their phone stores it.
public struct BookEntry: Sendable, Hashable, Codable {
    /// The phone's id for the entry; unique within one book.
    public var clientEntryID: String
    /// The name the person gave the entry.
    public var name: String
    /// The numbers as typed.
    public var phones: [String]
    /// E-mail addresses.
    public var emails: [String]
    /// The numbers of ``phones`` that parse, in E.164: what matching and exchange use.
    public var numbers: [PhoneNumber]
    /// The vCard a contacts app stored the entry as (CardDAV), kept as sent so that the app gets
    /// back every property, not only those above; nil for entries written any other way. The
    /// fields above are what Cardex reads of it.
    public var vCard: String?

    /// Creates an entry.
    public init(
        clientEntryID: String, name: String, phones: [String] = [], emails: [String] = [], numbers: [PhoneNumber] = [], vCard: String? = nil
    ) {
        self.clientEntryID = clientEntryID
        self.name = name
        self.phones = phones
        self.emails = emails
        self.numbers = numbers
        self.vCard = vCard
    }
}

/// What an address-book update did.
public struct BookUpdate: Sendable, Hashable {
    public var added = 0
    public var changed = 0
    public var unchanged = 0
    public var removed = 0
    /// Numbers new to the book that the owner's card was sent to ("auto-send my card").
    public var cardSentTo: [PhoneNumber] = []

    /// Creates an empty result.
    public init() {}
}
