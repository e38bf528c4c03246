/// Checks address-book entries a client sent and finds their matchable numbers.
public struct BookValidator: Sendable {
    /// The limits enforced.
    public let limits: BookLimits
    /// How numbers are read.
    public let phoneNumbers: PhoneNumberParser

    /// Creates a validator.
    public init(limits: BookLimits, phoneNumbers: PhoneNumberParser) {
        self.limits = limits
        self.phoneNumbers = phoneNumbers
    }

    /// The entry with ``BookEntry/numbers`` filled in. Numbers that do not parse are kept as
    /// typed but not matched: a phone's address book holds short codes and typos.
    /// - Throws: ``CardexError/invalidArgument(_:)`` naming what is wrong.
    public func validate(_ entry: BookEntry) throws(CardexError) -> BookEntry {
        let id = entry.clientEntryID
        guard !id.isEmpty, id.utf8.count <= limits.maxTextBytes else {
            throw .invalidArgument("an entry's client_entry_id must be 1 to \(limits.maxTextBytes) bytes")
        }
        guard entry.phones.count <= limits.maxValuesPerEntry, entry.emails.count <= limits.maxValuesPerEntry else {
            throw .invalidArgument("entry \(id.prefix(64)): at most \(limits.maxValuesPerEntry) numbers and \(limits.maxValuesPerEntry) addresses")
        }
        for text in [entry.name] + entry.phones + entry.emails where text.utf8.count > limits.maxTextBytes {
            throw .invalidArgument("entry \(id.prefix(64)): a value is longer than \(limits.maxTextBytes) bytes")
        }
        var result = entry
        var numbers: [PhoneNumber] = []
        for phone in entry.phones {
            if let number = try? phoneNumbers.parse(phone), !numbers.contains(number) { numbers.append(number) }
        }
        result.numbers = numbers
        return result
    }
}
