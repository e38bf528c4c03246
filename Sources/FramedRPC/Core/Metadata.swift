/// Key-value pairs sent with a call: request metadata, a response's initial metadata, and
/// trailing metadata with the status.
///
/// Order is kept and a key may repeat. Keys are lowercase ASCII (`a-z`, `0-9`, `-`, `_`, `.`);
/// a key ending in `-bin` holds binary values, every other key holds text; keys starting with
/// `framedrpc-` are reserved for the protocol. ``isValidKey(_:)``, ``isReservedKey(_:)`` and
/// ``validate()`` check those rules; the client refuses to send metadata that breaks them and
/// the server answers a call whose metadata breaks them with `INVALID_ARGUMENT`.
public struct Metadata: Sendable, Hashable {
    /// A metadata value.
    public enum Value: Sendable, Hashable, ExpressibleByStringLiteral {
        /// A UTF-8 text value, for keys without the `-bin` suffix.
        case text(String)
        /// A binary value, for keys with the `-bin` suffix.
        case binary([UInt8])

        /// Creates a text value.
        public init(stringLiteral value: String) {
            self = .text(value)
        }
    }

    /// One key and its value.
    public struct Entry: Sendable, Hashable {
        /// The key, lowercase ASCII.
        public var key: String
        /// The value.
        public var value: Value
    }

    /// The entries in the order they were added.
    public private(set) var entries: [Entry]

    /// Creates empty metadata.
    public init() {
        entries = []
    }

    /// Appends an entry; an existing entry with the same key stays.
    public mutating func add(_ key: String, _ value: Value) {
        entries.append(Entry(key: key, value: value))
    }

    /// Appends a text entry.
    public mutating func add(_ key: String, text: String) {
        add(key, .text(text))
    }

    /// Appends a binary entry.
    public mutating func add(_ key: String, binary: [UInt8]) {
        add(key, .binary(binary))
    }

    /// Removes every entry with `key`.
    public mutating func removeAll(_ key: String) {
        entries.removeAll { $0.key == key }
    }

    /// Appends every entry of `other`.
    public mutating func add(contentsOf other: Metadata) {
        entries.append(contentsOf: other.entries)
    }

    /// Every value stored under `key`, in order.
    public subscript(key: String) -> [Value] {
        entries.lazy.filter { $0.key == key }.map(\.value)
    }

    /// The first text value under `key`, or `nil`.
    public func firstText(_ key: String) -> String? {
        for entry in entries where entry.key == key {
            if case .text(let text) = entry.value { return text }
        }
        return nil
    }

    /// The first binary value under `key`, or `nil`.
    public func firstBinary(_ key: String) -> [UInt8]? {
        for entry in entries where entry.key == key {
            if case .binary(let bytes) = entry.value { return bytes }
        }
        return nil
    }

    /// Whether there are no entries.
    public var isEmpty: Bool { entries.isEmpty }

    /// Number of entries.
    public var count: Int { entries.count }

    /// Whether `key` is 1–255 bytes of lowercase ASCII letters, digits, `-`, `_` or `.`.
    public static func isValidKey(_ key: String) -> Bool {
        let utf8 = key.utf8
        guard !utf8.isEmpty, utf8.count <= 255 else { return false }
        return utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
    }

    /// Whether values under `key` must be binary (the key ends in `-bin`).
    public static func isBinaryKey(_ key: String) -> Bool {
        key.hasSuffix("-bin")
    }

    /// The prefix of keys reserved for the protocol itself: `framedrpc-`.
    public static let reservedPrefix = "framedrpc-"

    /// Whether `key` is reserved for the protocol (starts with ``reservedPrefix``); calls may
    /// not carry such keys.
    public static func isReservedKey(_ key: String) -> Bool {
        key.hasPrefix(reservedPrefix)
    }

    /// Throws `INVALID_ARGUMENT` naming the first entry that breaks the key rules or uses a
    /// reserved key.
    public func validate() throws(RPCError) {
        for entry in entries {
            guard Metadata.isValidKey(entry.key) else {
                throw RPCError(
                    code: .invalidArgument,
                    message: "invalid metadata key \"\(entry.key)\": use 1-255 lowercase ASCII letters, digits, '-', '_' or '.'"
                )
            }
            guard !Metadata.isReservedKey(entry.key) else {
                throw RPCError(
                    code: .invalidArgument,
                    message: "metadata key \"\(entry.key)\" is reserved: keys starting with \"\(Metadata.reservedPrefix)\" belong to the protocol"
                )
            }
            let binaryKey = Metadata.isBinaryKey(entry.key)
            switch entry.value {
            case .binary where !binaryKey:
                throw RPCError(code: .invalidArgument, message: "metadata key \"\(entry.key)\" carries a binary value: binary keys end in \"-bin\"")
            case .text where binaryKey:
                throw RPCError(code: .invalidArgument, message: "metadata key \"\(entry.key)\" ends in \"-bin\" but carries text")
            default:
                continue
            }
        }
    }
}

extension Metadata: ExpressibleByDictionaryLiteral {
    /// Creates metadata from literal pairs, in order.
    public init(dictionaryLiteral elements: (String, Value)...) {
        entries = elements.map { Entry(key: $0.0, value: $0.1) }
    }
}

extension Metadata: Sequence {
    /// Iterates the entries in order.
    public func makeIterator() -> IndexingIterator<[Entry]> {
        entries.makeIterator()
    }
}
