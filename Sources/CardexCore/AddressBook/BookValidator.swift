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
        // Entries are kept as the phone sent them (not trimmed), so a download gives them back unchanged.
        let id = try UserText.check(entry.clientEntryID, what: "an entry's client_entry_id", maxBytes: limits.maxTextBytes, trim: false)
        guard !id.isEmpty else { throw .invalidArgument("an entry's client_entry_id is empty") }
        guard entry.phones.count <= limits.maxValuesPerEntry, entry.emails.count <= limits.maxValuesPerEntry else {
            throw .invalidArgument("entry \(id.prefix(64)): at most \(limits.maxValuesPerEntry) numbers and \(limits.maxValuesPerEntry) addresses")
        }
        do {
            for text in [entry.name] + entry.phones + entry.emails {
                _ = try UserText.check(text, what: "a value", maxBytes: limits.maxTextBytes, trim: false)
            }
        } catch {
            throw .invalidArgument("entry \(id.prefix(64)): \(error.message)")
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
