/// Bounds that keep a damaged or hostile file from costing unbounded memory or time: the parser
/// stops with a ``VCardError`` when one is passed. Each value is written once, in ``defaults``.
public struct VCardLimits: Sendable, Hashable {
    /// Longest content line, in bytes, once its folded continuation lines are joined (quoted-printable
    /// soft line breaks and 2.1 base64 blocks included).
    public var maxLineBytes: Int
    /// Most properties one card may hold; those of a card nested in it (a 2.1 AGENT) are not kept and
    /// not counted.
    public var maxPropertiesPerCard: Int
    /// Most cards one file may hold.
    public var maxCards: Int

    /// Creates limits.
    public init(maxLineBytes: Int, maxPropertiesPerCard: Int, maxCards: Int) {
        self.maxLineBytes = maxLineBytes
        self.maxPropertiesPerCard = maxPropertiesPerCard
        self.maxCards = maxCards
    }

    /// Content lines up to 8 MiB once unfolded (room for a photo of about 6 MB inlined as
    /// base64), 1,000 properties per card, 100,000 cards per file.
    public static var defaults: VCardLimits { VCardLimits(maxLineBytes: 8 << 20, maxPropertiesPerCard: 1_000, maxCards: 100_000) }
}
