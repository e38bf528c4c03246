/// One vCard: its properties in file order, `BEGIN` and `END` left out.
///
/// A plain value: it neither checks nor requires any property. ``VCardParser`` makes them from
/// bytes, ``VCardWriter`` writes them as vCard 4.0.
public struct VCard: Sendable, Hashable {
    /// The properties, in the order they were read or added.
    public var properties: [VCardProperty]

    /// A card with `properties`.
    public init(properties: [VCardProperty] = []) {
        self.properties = properties
    }

    /// The properties called `name` (any case), in order.
    public func properties(named name: String) -> [VCardProperty] {
        let name = name.uppercased()
        return properties.filter { $0.name == name }
    }

    /// The first property called `name` (any case); nil when there is none.
    public func first(named name: String) -> VCardProperty? {
        let name = name.uppercased()
        return properties.first { $0.name == name }
    }

    /// The VERSION value (`2.1`, `3.0`, `4.0`), trimmed; nil when the card has none.
    public var version: String? {
        first(named: "VERSION").map { String($0.text.trimmingWhitespace()) }
    }
}
