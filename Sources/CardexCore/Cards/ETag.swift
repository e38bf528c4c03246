import Crypto

/// Content tags for cards: equal fields give equal tags, any change gives a different one.
///
/// A tag is the first 128 bits of a SHA-256 over a canonical encoding, as 32 lowercase hex
/// digits: for each field its kind, label and value (and for owner tags the audience, with
/// group and people sets sorted), each as a 4-byte little-endian length and its UTF-8 bytes.
/// Length prefixes keep the encoding unambiguous whatever the text holds.
public enum ETag {
    /// The owner's tag of a whole card, audiences included.
    public static func ofCard(_ card: Card) -> String {
        tag(card.fields, withAudience: true)
    }

    /// A reader's tag of the fields it receives. Audiences are left out: the reader does not
    /// receive them, so a change to an audience that leaves the view the same keeps the tag.
    public static func ofView(_ fields: [CardField]) -> String {
        tag(fields, withAudience: false)
    }

    private static func tag(_ fields: [CardField], withAudience: Bool) -> String {
        var hasher = SHA256()
        hasher.append(count: fields.count)
        for field in fields {
            hasher.append(field.kind.rawValue)
            hasher.append(field.label)
            hasher.append(field.value)
            guard withAudience else { continue }
            let audience: [String] =
                switch field.audience {
                case .everyone: ["everyone"]
                case .contacts: ["contacts"]
                case .onlyMe: ["only_me"]
                case .groups(let groups): ["groups"] + groups.sorted()
                case .people(let people): ["people"] + people.map(\.rawValue).sorted()
                }
            hasher.append(count: audience.count)
            for part in audience { hasher.append(part) }
        }
        return hex(hasher.finalize().prefix(16))
    }

    private static let digits = Array("0123456789abcdef".utf8)

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(32)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

extension SHA256 {
    fileprivate mutating func append(count: Int) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: count).littleEndian) { update(bufferPointer: $0) }
    }

    fileprivate mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            append(count: bytes.count)
            update(bufferPointer: UnsafeRawBufferPointer(bytes))
        }
    }
}
