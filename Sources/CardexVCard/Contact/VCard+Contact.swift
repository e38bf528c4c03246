extension VCard {
    /// The vCard 4.0 card of `contact`, for ``VCardWriter``: UID (left out when the uid is empty),
    /// FN, then each phone as TEL and each address as EMAIL, in order. No N: a display name cannot
    /// honestly be cut into family and given names.
    ///
    /// - FN is written even when the name is empty (4.0 requires it): an empty FN reads back as an
    ///   empty name, where the uid or a phone in its place would come back as the name.
    /// - TEL is written as text (`TEL;VALUE=text:`), not as a `tel:` URI: phones are kept as
    ///   typed, with spaces, letters or extensions a `tel:` URI does not allow.
    /// - UID is written as a URI (`UID:urn:uuid:…`) when it has a URI scheme and nothing to escape,
    ///   else as text (`UID;VALUE=text:`), since ids such as `vcard-1-…` are not URIs.
    /// - EMAIL says `VALUE=text` only when the address starts with `mailto:`, so reading it back
    ///   keeps the prefix. (TEL always says it, so a phone typed as `tel:…` keeps it too.)
    public init(_ contact: VCardContact) {
        var properties: [VCardProperty] = []
        if !contact.uid.isEmpty { properties.append(Self.uidProperty(contact.uid)) }
        properties.append(VCardProperty(name: "FN", text: contact.name))
        for phone in contact.phones {
            properties.append(VCardProperty(name: "TEL", parameters: ["VALUE": ["text"]], text: phone))
        }
        for email in contact.emails {
            let parameters: [String: [String]] = VCardContact.hasScheme(VCardContact.emailScheme, email) ? ["VALUE": ["text"]] : [:]
            properties.append(VCardProperty(name: "EMAIL", parameters: parameters, text: email))
        }
        self.init(properties: properties)
    }

    /// UID as a URI when `uid` starts with a URI scheme and escaping would not change it; else as text.
    private static func uidProperty(_ uid: String) -> VCardProperty {
        let escaped = VCardText.escape(uid)
        if hasURIScheme(uid), escaped == uid { return VCardProperty(name: "UID", escapedValue: uid) }
        return VCardProperty(name: "UID", parameters: ["VALUE": ["text"]], escapedValue: escaped)
    }

    /// Whether `text` starts with a URI scheme and its colon (RFC 3986:
    /// `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"`).
    private static func hasURIScheme(_ text: String) -> Bool {
        guard let colon = text.utf8.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let scheme = text.utf8[..<colon]
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        guard let first = scheme.first, isLetter(first) else { return false }
        return scheme.allSatisfy { byte in
            isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || "+-.".utf8.contains(byte)
        }
    }
}
