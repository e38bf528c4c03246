import Foundation

/// Checks a card a client sent and brings it to stored form (phones in E.164, trimmed text).
public struct CardValidator: Sendable {
    /// The limits enforced.
    public let limits: CardLimits
    /// How phone values are normalised.
    public let phoneNumbers: PhoneNumberParser

    /// Creates a validator.
    public init(limits: CardLimits, phoneNumbers: PhoneNumberParser) {
        self.limits = limits
        self.phoneNumbers = phoneNumbers
    }

    /// The card in stored form.
    /// - Throws: ``CardexError/invalidArgument(_:)`` naming the first bad field and why.
    public func validate(_ card: Card) throws(CardexError) -> Card {
        guard card.fields.count <= limits.maxFields else {
            throw .invalidArgument("a card holds at most \(limits.maxFields) fields; this one has \(card.fields.count)")
        }
        var seenSingles = Set<FieldKind>()
        var result = Card()
        for (index, field) in card.fields.enumerated() {
            if field.kind.isSingle && !seenSingles.insert(field.kind).inserted {
                throw .invalidArgument("field \(index): a card holds at most one \(field.kind.rawValue)")
            }
            result.fields.append(try validate(field, at: index))
        }
        return result
    }

    private func validate(_ field: CardField, at index: Int) throws(CardexError) -> CardField {
        func fail(_ reason: String) -> CardexError {
            .invalidArgument("field \(index) (\(field.kind.rawValue)): \(reason)")
        }
        var field = field
        let maxValue = field.kind == .note ? limits.maxNoteBytes : limits.maxValueBytes
        do {
            field.label = try UserText.check(field.label, what: "label", maxBytes: limits.maxLabelBytes)
            field.value = try UserText.check(field.value, what: "value", maxBytes: maxValue, lines: .many)
        } catch {
            throw fail(error.message)
        }
        guard !field.value.isEmpty else { throw fail("value is empty") }

        switch field.kind {
        case .phone:
            do { field.value = try phoneNumbers.parse(field.value).e164 } catch { throw fail(error.message) }
        case .email:
            guard Self.looksLikeEmail(field.value) else { throw fail("\"\(field.value.prefix(40))\" is not an e-mail address like name@example.com") }
        case .birthday:
            guard Self.isBirthday(field.value) else { throw fail("expected YYYY-MM-DD, or --MM-DD without the year") }
        case .photoURL, .url:
            guard Self.isWebURL(field.value) else { throw fail("expected an http:// or https:// URL") }
        case .name, .im, .organisation, .title, .address, .note:
            break
        }

        switch field.audience {
        case .groups(let groups):
            guard !groups.isEmpty else { throw fail("a groups audience names at least one group") }
            guard groups.count <= limits.maxAudienceMembers else { throw fail("an audience names at most \(limits.maxAudienceMembers) groups") }
        case .people(let people):
            guard !people.isEmpty else { throw fail("a people audience names at least one person") }
            guard people.count <= limits.maxAudienceMembers else { throw fail("an audience names at most \(limits.maxAudienceMembers) people") }
        case .everyone, .contacts, .onlyMe:
            break
        }
        return field
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !text.contains(where: \.isWhitespace)
    }

    static func isBirthday(_ text: String) -> Bool {
        let withYear = text.count == 10 && !text.hasPrefix("--")
        let pattern = withYear ? text : "2000" + text.dropFirst(1)  // --MM-DD: check in a leap year
        guard pattern.count == 10 else { return false }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.isLenient = false
        guard let date = formatter.date(from: String(pattern)) else { return false }
        return formatter.string(from: date) == pattern
    }

    static func isWebURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return true
    }
}
