import CardexCore

/// Reads a card's stored JSON (what `JSONEncoder` writes for ``Card``) without `JSONDecoder`:
/// decoding was over half the time of answering a 1,000-item query-update against a million
/// cards, most of it in the synthesized `Codable` of ``Audience``'s cases.
///
/// Strict: anything but the shape `JSONEncoder` writes (objects, arrays and strings; the keys
/// `fields`, `kind`, `label`, `value`, `audience`; one audience case, `_0` holding the ids)
/// gives `nil`, and the caller decodes with `JSONDecoder` instead. A test checks both agree.
enum CardJSON {
    static func card(from text: String) -> Card? {
        var text = text
        return text.withUTF8 { bytes in
            var parser = Parser(bytes: bytes)
            guard let root = parser.value(), parser.atEnd else { return nil }
            return card(root)
        }
    }

    private static func card(_ root: Value) -> Card? {
        guard case .object(let members) = root, members.count == 1, members[0].key == "fields", case .array(let items) = members[0].value
        else { return nil }
        var fields: [CardField] = []
        fields.reserveCapacity(items.count)
        for item in items {
            guard let field = field(item) else { return nil }
            fields.append(field)
        }
        return Card(fields: fields)
    }

    private static func field(_ item: Value) -> CardField? {
        guard case .object(let members) = item else { return nil }
        var kind: FieldKind?
        var label: String?
        var value: String?
        var audience: Audience?
        for (key, member) in members {
            switch (key, member) {
            case ("kind", .string(let text)): kind = FieldKind(rawValue: text)
            case ("label", .string(let text)): label = text
            case ("value", .string(let text)): value = text
            case ("audience", _): audience = self.audience(member)
            default: return nil
            }
        }
        guard let kind, let label, let value, let audience else { return nil }
        return CardField(kind: kind, label: label, value: value, audience: audience)
    }

    private static func audience(_ value: Value) -> Audience? {
        guard case .object(let members) = value, members.count == 1, case .object(let payload) = members[0].value else { return nil }
        switch members[0].key {
        case "everyone" where payload.isEmpty: return .everyone
        case "contacts" where payload.isEmpty: return .contacts
        case "onlyMe" where payload.isEmpty: return .onlyMe
        case "groups": return strings(payload).map { .groups(Set($0)) }
        case "people": return strings(payload).map { .people(Set($0.map(UserID.init(rawValue:)))) }
        default: return nil
        }
    }

    /// The strings of `{"_0": [...]}`.
    private static func strings(_ payload: [(key: String, value: Value)]) -> [String]? {
        guard payload.count == 1, payload[0].key == "_0", case .array(let items) = payload[0].value else { return nil }
        var result: [String] = []
        for item in items {
            guard case .string(let text) = item else { return nil }
            result.append(text)
        }
        return result
    }

    private indirect enum Value {
        case object([(key: String, value: Value)])
        case array([Value])
        case string(String)
    }

    /// A JSON reader for objects, arrays and strings (RFC 8259 escapes); anything else fails.
    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        var atEnd: Bool {
            mutating get {
                skipSpace()
                return position == bytes.count
            }
        }

        mutating func value() -> Value? {
            skipSpace()
            guard position < bytes.count else { return nil }
            switch bytes[position] {
            case UInt8(ascii: "{"): return object()
            case UInt8(ascii: "["): return array()
            case UInt8(ascii: "\""): return string().map(Value.string)
            default: return nil
            }
        }

        private mutating func object() -> Value? {
            position += 1
            var members: [(key: String, value: Value)] = []
            if consume(UInt8(ascii: "}")) { return .object(members) }
            repeat {
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let key = string(), consume(UInt8(ascii: ":")),
                    let member = value()
                else { return nil }
                members.append((key, member))
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "}")) ? .object(members) : nil
        }

        private mutating func array() -> Value? {
            position += 1
            var items: [Value] = []
            if consume(UInt8(ascii: "]")) { return .array(items) }
            repeat {
                guard let item = value() else { return nil }
                items.append(item)
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]")) ? .array(items) : nil
        }

        /// A string literal at `position` (its opening quote).
        private mutating func string() -> String? {
            position += 1
            var result = ""
            while true {
                // A run of plain characters, then a quote or an escape.
                let run = position
                while position < bytes.count, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\\") {
                    guard bytes[position] >= 0x20 else { return nil }
                    position += 1
                }
                guard position < bytes.count else { return nil }
                result += String(decoding: UnsafeBufferPointer(rebasing: bytes[run..<position]), as: UTF8.self)
                if bytes[position] == UInt8(ascii: "\"") {
                    position += 1
                    return result
                }
                position += 1  // the backslash
                guard position < bytes.count else { return nil }
                switch bytes[position] {
                case UInt8(ascii: "\""): result.append("\"")
                case UInt8(ascii: "\\"): result.append("\\")
                case UInt8(ascii: "/"): result.append("/")
                case UInt8(ascii: "b"): result.append("\u{8}")
                case UInt8(ascii: "f"): result.append("\u{c}")
                case UInt8(ascii: "n"): result.append("\n")
                case UInt8(ascii: "r"): result.append("\r")
                case UInt8(ascii: "t"): result.append("\t")
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    result.unicodeScalars.append(scalar)
                    continue
                default: return nil
                }
                position += 1
            }
        }

        /// `\uXXXX` (at the `u`), with a following low surrogate when it is a high one; leaves
        /// `position` after it.
        private mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let high = hex4() else { return nil }
            if (0xD800..<0xDC00).contains(high) {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else { return nil }
                position += 1
                guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            }
            return Unicode.Scalar(high)
        }

        /// The four hex digits after the `u` at `position`; leaves `position` after them.
        private mutating func hex4() -> UInt32? {
            guard position + 4 < bytes.count else { return nil }
            var value: UInt32 = 0
            for offset in 1...4 {
                guard let digit = Character(Unicode.Scalar(bytes[position + offset])).hexDigitValue else { return nil }
                value = value << 4 | UInt32(digit)
            }
            position += 5
            return value
        }

        private mutating func consume(_ byte: UInt8) -> Bool {
            skipSpace()
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        private mutating func skipSpace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }
    }
}
